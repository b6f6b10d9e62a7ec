#!/usr/bin/env python3
"""Moves operations from openapi/draft/openapi-0.2.0.yaml into openapi/openapi.yaml.

The served contract lists only what the server routes; an operation moves when it is served:
    scripts/promote-spec.py 'GET /v1/sites' 'POST /v1/sites' ...
Components the moved operations reference come along. The route/spec test checks the result.
"""
import sys
import yaml

DRAFT, SPEC = "openapi/draft/openapi-0.2.0.yaml", "openapi/openapi.yaml"


def refs(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/components/"):
                found.add(tuple(value.split("/")[2:4]))
            else:
                refs(value, found)
    elif isinstance(node, list):
        for value in node:
            refs(value, found)


def main(operations):
    draft = yaml.safe_load(open(DRAFT))
    spec = yaml.safe_load(open(SPEC))
    for operation in operations:
        method, path = operation.split(" ", 1)
        method = method.lower()
        source = draft["paths"].get(path, {})
        if method not in source:
            sys.exit(f"{operation}: not in the draft")
        target = spec["paths"].setdefault(path, {})
        target[method] = source[method]
        if "parameters" in source:
            target["parameters"] = source["parameters"]
    needed = set()
    refs(spec["paths"], needed)
    components = spec.setdefault("components", {})
    while True:
        added = False
        for section, name in sorted(needed):
            have = components.setdefault(section, {})
            if name not in have:
                have[name] = draft["components"][section][name]
                more = set()
                refs(have[name], more)
                if not more <= needed:
                    needed |= more
                added = True
        if not added:
            break
    if any("security" in op for ops in spec["paths"].values() for op in ops.values() if isinstance(op, dict)):
        components.setdefault("securitySchemes", draft["components"]["securitySchemes"])
    known = {tag["name"] for tag in spec.get("tags", [])}
    used = {tag for ops in spec["paths"].values() for op in ops.values() if isinstance(op, dict) for tag in op.get("tags", [])}
    spec["tags"] = spec.get("tags", []) + [t for t in draft.get("tags", []) if t["name"] in used - known]
    yaml.safe_dump(spec, open(SPEC, "w"), sort_keys=False, allow_unicode=True, width=100)


if __name__ == "__main__":
    main(sys.argv[1:])
