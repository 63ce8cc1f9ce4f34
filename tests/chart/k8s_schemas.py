"""Kubernetes JSON schemas for kubeconform, generated offline from the OpenAPI v3 documents that ship in the
k8s.io/kubernetes Go module (api/openapi-spec/v3), fetched through the Go module proxy.

kubeconform's default schema location is a GitHub repository; this writes the same layout locally
(`{kind}-{group}-{version}.json`, lowercase, group cut at its first dot, core kinds `{kind}-{version}.json`),
the way yannh/openapi2jsonschema does with --strict --standalone:
- every object schema that lists properties gets `additionalProperties: false` (a misspelled field fails)
  unless it is declared open (`additionalProperties` / `x-kubernetes-preserve-unknown-fields`);
- optional fields (and fields typed by a definition) also accept null: the API server treats an
  explicit null as unset;
- each file is standalone: the definitions it reaches are copied under `definitions` (local $refs, so
  recursive types such as JSONSchemaProps need no expansion).

    python3 tests/chart/k8s_schemas.py --kubernetes v1.35.4 --out ~/.cache/nowplaying/k8s-schemas/v1.35.4

Stdlib only (the Makefile runs it with the system python3 before the project venv exists).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REF_PREFIX = "#/components/schemas/"
# Keywords that only document; dropping them keeps the files (and kubeconform's start-up) small.
DROP = {"description", "default", "x-kubernetes-patch-strategy", "x-kubernetes-patch-merge-key",
        "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-unions"}


def module_dir(version: str) -> Path:
    """The unpacked k8s.io/kubernetes module (downloaded through the Go module proxy when not cached)."""
    env = {**os.environ, "GOFLAGS": "-mod=mod"}
    result = subprocess.run(["go", "mod", "download", "-json", f"k8s.io/kubernetes@{version}"], capture_output=True,
                            text=True, env=env, cwd=tempfile.gettempdir(), timeout=600, check=False)
    if result.returncode != 0:
        sys.exit(f"go mod download k8s.io/kubernetes@{version} failed: {result.stdout}{result.stderr}".strip())
    return Path(json.loads(result.stdout)["Dir"])


def load_definitions(spec_dir: Path) -> dict[str, Any]:
    definitions: dict[str, Any] = {}
    for path in sorted(spec_dir.glob("*.json")):
        definitions.update(json.loads(path.read_text())["components"].get("schemas", {}))
    if not definitions:
        sys.exit(f"no OpenAPI v3 schemas under {spec_dir}")
    return definitions


def convert(node: Any, required: bool = True) -> Any:
    """One OpenAPI v3 schema -> draft-4 JSON schema (strict, nullable optionals, local refs)."""
    if isinstance(node, list):
        return [convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in DROP or (key == "format" and value == "int-or-string"):
            continue
        if key == "$ref":
            out[key] = "#/definitions/" + value.removeprefix(REF_PREFIX)
        elif key == "properties":
            needed = set(node.get("required", ()))
            out[key] = {name: convert(prop, name in needed) for name, prop in value.items()}
        elif key in ("items", "additionalProperties", "allOf", "anyOf", "oneOf", "not"):
            out[key] = convert(value)
        else:
            out[key] = value
    if "properties" in out and "additionalProperties" not in out \
            and not out.get("x-kubernetes-preserve-unknown-fields"):
        out["additionalProperties"] = False
    if not required and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out


def as_definition(schema: dict[str, Any]) -> dict[str, Any]:
    """A definition reached through $ref: a field of that type may also be null (as in openapi2jsonschema)."""
    if isinstance(schema.get("type"), str):
        return {**schema, "type": [schema["type"], "null"]}
    return schema


def reachable(name: str, definitions: dict[str, Any]) -> set[str]:
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        stack = [definitions[current]]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith(REF_PREFIX):
                    todo.append(ref.removeprefix(REF_PREFIX))
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    return seen


def file_name(gvk: dict[str, str]) -> str:
    """kubeconform's `{{ .ResourceKind }}{{ .KindSuffix }}.json`."""
    group = gvk.get("group", "").split(".")[0]
    parts = [gvk["kind"], group, gvk["version"]] if group else [gvk["kind"], gvk["version"]]
    return "-".join(parts).lower() + ".json"


def generate(definitions: dict[str, Any], out: Path) -> int:
    converted = {name: convert(schema) for name, schema in definitions.items()}
    written = 0
    for name, schema in definitions.items():
        gvks = schema.get("x-kubernetes-group-version-kind") or []
        if not gvks or name.startswith("io.k8s.apimachinery."):
            continue  # not a top-level kind (or a meta type such as DeleteOptions listed under every group)
        document = {**converted[name], "definitions": {
            dep: as_definition(converted[dep]) for dep in sorted(reachable(name, definitions) - {name})}}
        for gvk in gvks:
            (out / file_name(gvk)).write_text(json.dumps(document, separators=(",", ":"), sort_keys=True))
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubernetes", required=True, help="k8s.io/kubernetes module version, e.g. v1.35.4")
    parser.add_argument("--out", required=True, type=Path, help="directory for the schema files")
    parser.add_argument("--spec-dir", type=Path, help="OpenAPI v3 directory (default: from the Go module)")
    args = parser.parse_args()
    spec_dir = args.spec_dir or module_dir(args.kubernetes) / "api" / "openapi-spec" / "v3"
    definitions = load_definitions(spec_dir)
    # Written beside the target and renamed into place, so an interrupted run leaves no half set.
    args.out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=args.out.name + ".", dir=args.out.parent))
    count = generate(definitions, staging)
    (staging / "SOURCE").write_text(f"k8s.io/kubernetes@{args.kubernetes} api/openapi-spec/v3, {count} files\n")
    shutil.rmtree(args.out, ignore_errors=True)
    staging.rename(args.out)
    print(f"{count} schemas for Kubernetes {args.kubernetes} in {args.out}")


if __name__ == "__main__":
    main()
