"""Other scripts in Latin letters, the way posts write them: "Gruppa Krovi" for "Группа крови", "Usseewa" for
"うっせぇわ", "Kal Ho Naa Ho" for "कल हो ना हो", "Bam Yang Gang" for "밤양갱".

Matching compares both spellings in one form, so a post and a catalog that write a song in different scripts
still meet; the spellings are approximate (no long vowels, no Hindi schwa rules beyond the final one, Hangul
letter by letter), which the fuzzy scores tolerate. Kanji and Hanzi stay as they are: their readings need a
dictionary.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz


def _listed(words: str) -> list[str]:
    return words.split()


# Cyrillic and Greek letter by letter (lower case: the input is case-folded), and the Turkish dotless i.
_LETTERS = str.maketrans({
    **dict(zip("абвгдезийклмнопрстуфхцыэ", "abvgdeziyklmnoprstufhcye", strict=True)),
    "ё": "e", "ж": "zh", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya", "ь": "", "ъ": "",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "ђ": "dj", "џ": "dz",
    "ѓ": "g", "ќ": "k", "ѐ": "e", "ѝ": "i", "ў": "u",
    **dict(zip("αβγδεζηικλμνξοπρσςτυφω", "avgdeziiklmnxoprsstifo", strict=True)),
    "θ": "th", "χ": "ch", "ψ": "ps",
    **dict(zip("άέήίόύώϊϋΐΰ", "aeiioioiiii", strict=True)),  # accented: folding would come too late
    "ı": "i",
})

# --- kana (Hepburn, as posts write it: "o" for を, long vowels as written, ー dropped) --------------------

_KANA_ROWS = {
    "あいうえお": "a i u e o", "かきくけこ": "ka ki ku ke ko", "がぎぐげご": "ga gi gu ge go",
    "さしすせそ": "sa shi su se so", "ざじずぜぞ": "za ji zu ze zo", "たちつてと": "ta chi tsu te to",
    "だぢづでど": "da ji zu de do", "なにぬねの": "na ni nu ne no", "はひふへほ": "ha hi fu he ho",
    "ばびぶべぼ": "ba bi bu be bo", "ぱぴぷぺぽ": "pa pi pu pe po", "まみむめも": "ma mi mu me mo",
    "やゆよ": "ya yu yo", "らりるれろ": "ra ri ru re ro", "わゐゑをん": "wa i e o n", "ゔ": "vu",
}
_KANA = {kana: latin for row, latins in _KANA_ROWS.items() for kana, latin in zip(row, latins.split(), strict=True)}
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_SMALL_VOWEL = {"ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o"}


def _hiragana(ch: str) -> str:
    """Katakana as hiragana (the two syllabaries are 0x60 apart)."""
    return chr(ord(ch) - 0x60) if "\u30a1" <= ch <= "\u30f6" else ch


def _kana(text: str) -> str:
    out: list[str] = []
    double = False
    for raw in text:
        ch = _hiragana(raw)
        if ch == "っ":
            double = True
            continue
        if ch in _SMALL_Y and out and out[-1].endswith("i"):
            prev = out.pop()[:-1]  # き + ゃ -> kya; し + ゃ -> sha
            out.append(prev + ("" if prev.endswith(("sh", "ch", "j")) else "y") + _SMALL_Y[ch])
        elif ch in _SMALL_VOWEL and out and out[-1][-1:] in "aiueo":
            prev, vowel = out.pop(), _SMALL_VOWEL[ch]  # フ + ァ -> fa; テ + ィ -> ti; ウ + ィ -> wi; せ + ぇ -> see
            out.append(prev + vowel if prev.endswith(vowel) else ("w" if prev == "u" else prev[:-1]) + vowel)
        elif ch in _SMALL_VOWEL or ch in _SMALL_Y:
            out.append(_SMALL_VOWEL.get(ch) or "y" + _SMALL_Y[ch])
        elif ch == "ー" or ch == "・":
            out.append(" " if ch == "・" else "")
        elif ch in _KANA:
            latin = _KANA[ch]
            if double:
                latin = ("t" if latin.startswith("ch") else latin[0]) + latin
            out.append(latin)
        else:
            out.append(raw)
        double = False
    return "".join(out)


# --- Hangul (Revised Romanization, without its sound-change rules) -----------------------------------------

_INITIALS = _listed("g kk n d tt r m b pp s ss - j jj ch k t p h")
_VOWELS = _listed("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i")
# A final consonant as written at a syllable's end ("약속": yaksok), and as carried over when the next
# syllable starts with a vowel ("좋은": joeun).
_FINALS = _listed("- k k k n n n t l k m l l l p l m p p t t ng t t k t p t")
_CARRIED = _listed("- g kk gs n nj n d r lg lm lb ls lt lp r m b bs s ss ng j ch k t p -")


def _hangul(text: str) -> str:
    out: list[str] = []
    syllables = [divmod(ord(ch) - 0xAC00, 28) for ch in text]
    for i, (head, final) in enumerate(syllables):
        initial, vowel = divmod(head, 21)
        before_vowel = i + 1 < len(syllables) and syllables[i + 1][0] // 21 == 11  # next starts with ㅇ
        out.append(_INITIALS[initial].strip("-") + _VOWELS[vowel]
                   + (_CARRIED if before_vowel else _FINALS)[final].strip("-"))
    return "".join(out)


# --- Devanagari (Hindi: inherent "a" after a consonant, except at a word's end) ----------------------------

_CONSONANTS = dict(zip(
    "कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह",
    _listed("k kh g gh n ch chh j jh n t th d dh n t th d dh n p ph b bh m y r l v sh sh s h"), strict=True))
_CONSONANTS.update(zip("\u0958\u0959\u095a\u095b\u095c\u095d\u095e\u095f",
                       _listed("q kh gh z r rh f y"), strict=True))  # with a nukta, precomposed
_VOWEL_SIGNS = dict(zip("ािीुूृेैोौॅॉ", _listed("a i i u u ri e ai o au e o"), strict=True))
_INDEPENDENT = dict(zip("अआइईउऊऋएऐओऔ", _listed("a a i i u u ri e ai o au"), strict=True))
_MARKS = {"ं": "n", "ँ": "n", "ः": "h"}
_VIRAMA, _NUKTA = "\u094d", "\u093c"


def _devanagari(text: str) -> str:
    out: list[str] = []
    pending = prev_mark = False  # a consonant waits for its vowel; the last sign was a nasal mark
    for ch in text:
        was_mark, prev_mark = prev_mark, ch in _MARKS
        if ch == _NUKTA:  # ज + ़ = ज़ (z): the nukta changes a few sounds; "j" for "z" is close enough
            continue
        if ch in _VOWEL_SIGNS:
            out.append(_VOWEL_SIGNS[ch])
        elif ch == _VIRAMA:
            pass
        else:
            if pending and (ch in _CONSONANTS or ch in _MARKS or ch in _INDEPENDENT):  # नई: nai
                out.append("a")  # the inherent vowel, kept inside a word
            if ch == "ह" and was_mark and out[-1:] == ["n"]:
                out[-1] = "ng"  # सिंह: Singh
            if ch in _CONSONANTS:
                out.append(_CONSONANTS[ch])
                pending = True
                continue
            out.append(_MARKS.get(ch) or _INDEPENDENT.get(ch) or ch)
        pending = False
    return "".join(out)


_KANA_RE = re.compile(r"[\u3041-\u3096\u30a1-\u30fc\u30fb]+")
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3]+")
_DEVANAGARI_RE = re.compile(r"[\u0900-\u097f]+")
_OTHER_SCRIPTS_RE = re.compile(r"[\u0370-\u04ff\u0131\u0900-\u097f\u3041-\u30fc\uac00-\ud7a3]")


def to_latin(text: str) -> str:
    """`text` (case-folded) with Cyrillic, Greek, kana, Hangul and Devanagari in Latin letters."""
    if not _OTHER_SCRIPTS_RE.search(text):
        return text
    text = text.translate(_LETTERS)
    text = _KANA_RE.sub(lambda m: _kana(m.group()), text)
    text = _HANGUL_RE.sub(lambda m: _hangul(m.group()), text)
    return _DEVANAGARI_RE.sub(lambda m: _devanagari(m.group()), text)


# --- names written by ear ("사브리나 카펜터", "テイラー・スウィフト" for Sabrina Carpenter, Taylor Swift) ---------

_SOUNDS = (("ph", "f"), ("th", "s"), ("sh", "s"), ("ch", "\x01"), ("ck", "k"), ("c", "k"), ("q", "k"), ("x", "ks"),
           ("v", "b"), ("f", "p"), ("l", "r"), ("z", "s"), ("\x01", "c"))
_VOWELS_RE = re.compile(r"[aeiouyhw\s]+")
_DOUBLED_RE = re.compile(r"(.)\1+")


_CODA_R_RE = re.compile(r"(?<=[aeiouy])r+(?![aeiouy])")


def consonants(latin: str, *, coda_r: bool = True) -> str:
    """The consonant skeleton of a Latin spelling, in the sounds Korean and Japanese spellings of foreign
    names keep: vowels (which they insert: "seuwipeuteu"), h, w and y dropped; l=r, v=b, f=p, th=s, doubled
    letters once ("taylor swift" and "teira suwifuto" are both "trspt")."""
    s = latin.lower()
    if not coda_r:
        s = _CODA_R_RE.sub("", s)  # "butter" as Korean hears it (버터, "beoteo"), non-rhotic
    for a, b in _SOUNDS:
        s = s.replace(a, b)
    return _DOUBLED_RE.sub(r"\1", _VOWELS_RE.sub("", s))


def sounds_alike(transcribed: str, name: str, shortest: int = 3) -> bool:
    """A name written by ear in another script (`transcribed`, already in Latin letters) and a catalog's Latin
    name (both normalised): the same consonants, nearly (Korean drops some r's: "kapenteo" for "carpenter");
    short skeletons must be equal ("brs": Billie Eilish), and have `shortest` consonants at least."""
    transcribed, name = transcribed.removeprefix("the "), name.removeprefix("the ")
    a, b = consonants(transcribed), consonants(name)
    if min(len(a), len(b)) < shortest:
        return False
    # Korean and Japanese drop an "r" after a vowel ("teira" for Taylor, "beoteo" for Butter).
    return a == b or a == consonants(name, coda_r=False) or b == consonants(transcribed, coda_r=False) \
        or (min(len(a), len(b)) >= 5 and fuzz.ratio(a, b) >= 85)
