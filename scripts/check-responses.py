#!/usr/bin/env python3
"""Checks recorded HTTP responses against openapi/openapi.yaml.

Usage: scripts/check-responses.py SPEC RECORDS [--uncovered "METHOD /path"]...

RECORDS holds one JSON object per line: {"method", "path" (query allowed), "status",
"content_type" (or null), "body" (the body as text)}. For each, the operation is found by
method and path template; the status must be documented for it (exactly, as `4XX`, or as
`default`); a body needs a documented content type; a JSON body must validate against the
documented schema (JSON Schema 2020-12, as OpenAPI 3.1 says, with the spec's own `$ref`s and
formats checked), and so must a YAML body (the served spec) once parsed. Every documented
operation must also have answered a 2xx at least once, but those named with --uncovered. Every
problem document, in the answers and in the spec's examples alike, must have a type the spec
lists in `ProblemType`, with that type's one title (RFC 9457 §3.1.3) and status (`x-status`);
and every listed type must have answered its page (`GET /problems/{problem_type}`, 200) with its
title and description, and no other page may have. Prints every fault and exits 1 if there is
any.

`make test` installs openapi-spec-validator, which brings jsonschema, referencing and PyYAML.
The Swift test ResponseConformanceTests records a scenario over every operation and runs this.
"""
import html
import json
import re
import sys

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_URI = "urn:readiness:openapi"


def absolute_refs(node):
    """The spec's `#/components/...` references made absolute, so that a schema taken out of
    the document still resolves them through the registry."""
    if isinstance(node, dict):
        return {
            key: (SPEC_URI + value if key == "$ref" and isinstance(value, str) and value.startswith("#") else absolute_refs(value))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [absolute_refs(item) for item in node]
    return node


def path_matchers(spec):
    """(regex, template) per documented path, literal ones first so `/v1/agent/plan` is not
    taken for a template with a parameter in its place."""
    matchers = []
    for template in spec["paths"]:
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        matchers.append((template.count("{"), re.compile(pattern), template))
    matchers.sort(key=lambda m: m[0])
    return [(regex, template) for _, regex, template in matchers]


def resolve(spec, node):
    """A response object given as a reference (`components/responses`), followed."""
    while isinstance(node, dict) and "$ref" in node:
        pointer = node["$ref"].split("#", 1)[1]
        node = spec
        for part in pointer.strip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def documented_response(spec, operation, status):
    responses = operation.get("responses", {})
    for key in (str(status), f"{status // 100}XX", "default"):
        if key in responses:
            return resolve(spec, responses[key])
    return None


def template_of(matchers, record):
    """The documented path template the record's path (query left out) matches, or None."""
    path = record["path"].split("?", 1)[0]
    return next((t for regex, t in matchers if regex.match(path)), None)


def check(spec, registry, template, record):
    method = record["method"].lower()
    status = record["status"]
    where = f"{record['method']} {record['path']} -> {status}"
    if template is None:
        return [f"{where}: no documented path matches"]
    operation = spec["paths"][template].get(method)
    if operation is None:
        return [f"{where}: {record['method']} is not documented for {template}"]
    response = documented_response(spec, operation, status)
    if response is None:
        return [f"{where}: status {status} is not documented for {record['method']} {template}"]
    body = record.get("body") or ""
    content = response.get("content")
    if not content:
        return [f"{where}: a body of {len(body)} bytes where none is documented"] if body else []
    media_type = (record.get("content_type") or "").split(";", 1)[0].strip().lower()
    if media_type not in content:
        return [f"{where}: content type {media_type or '(none)'} is not documented (documented: {', '.join(content)})"]
    schema = content[media_type].get("schema")
    is_json = media_type == "application/json" or media_type.endswith("+json")
    is_yaml = media_type in ("application/yaml", "application/x-yaml", "text/yaml")
    if schema is None or not (is_json or is_yaml):
        return []
    try:
        instance = json.loads(body) if is_json else yaml.safe_load(body)
    except (ValueError, yaml.YAMLError) as error:
        return [f"{where}: the body is not {'JSON' if is_json else 'YAML'}: {error}"]
    validator = Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [
        f"{where}: {'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message[:300]}"
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    ]


METHODS = ("get", "put", "post", "delete", "patch")


def problems_of_examples(node):
    """Every example in the spec that is a problem document (it has `type`, `title`, `status`)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("example", "value") and isinstance(value, dict) and {"type", "title", "status"} <= value.keys():
                found.append(value)
            else:
                found += problems_of_examples(value)
    elif isinstance(node, list):
        for item in node:
            found += problems_of_examples(item)
    return found


PROBLEM_PAGES = "/problems/{problem_type}"


def documented_problem_types(spec):
    """`ProblemType`'s entries by type: {"const", "title", "x-status", "description"}."""
    schema = spec.get("components", {}).get("schemas", {}).get("ProblemType", {})
    return {entry["const"]: entry for entry in schema.get("oneOf", [])}


def problem_faults(documented, problems, pages):
    """Types, titles and statuses of problem documents against `ProblemType`; pages against it."""
    faults = set()
    for problem in problems:
        kind = problem.get("type", "about:blank")
        entry = documented.get(kind)
        if entry is None:
            faults.add(f"problem type {kind} is not listed in ProblemType")
            continue
        if problem.get("title") != entry["title"]:
            faults.add(f"problem type {kind} titled {problem.get('title')!r}, not {entry['title']!r}")
        if problem.get("status") != entry["x-status"]:
            faults.add(f"problem type {kind} with status {problem.get('status')}, not {entry['x-status']}")
    words = lambda text: " ".join(text.split())
    for kind, entry in documented.items():
        name = kind.rsplit("/", 1)[-1]
        page = pages.get(name)
        if page is None:
            faults.add(f"problem type {kind}: its page never answered 200")
            continue
        text = words(html.unescape(re.sub(r"<[^>]+>", " ", page)))
        for member in ("title", "description"):
            if words(entry[member]) not in text:
                faults.add(f"problem type {kind}: its page does not say its {member}")
    for name in sorted(set(pages) - {kind.rsplit("/", 1)[-1] for kind in documented}):
        faults.add(f"a page is served for /problems/{name}, which ProblemType does not list")
    return sorted(faults)


def main():
    arguments = sys.argv[1:]
    uncovered = set()
    while "--uncovered" in arguments:
        at = arguments.index("--uncovered")
        uncovered.add(arguments[at + 1])
        del arguments[at:at + 2]
    if len(arguments) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(arguments[0], encoding="utf-8") as file:
        spec = absolute_refs(yaml.safe_load(file))
    registry = Registry().with_resource(SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012))
    matchers = path_matchers(spec)
    faults = []
    checked = 0
    succeeded = set()
    pages = {}
    problems = problems_of_examples(spec)
    with open(arguments[1], encoding="utf-8") as file:
        for line in file:
            if line.strip():
                record = json.loads(line)
                checked += 1
                template = template_of(matchers, record)
                faults += check(spec, registry, template, record)
                if template and 200 <= record["status"] < 300:
                    succeeded.add(f"{record['method'].upper()} {template}")
                if template == PROBLEM_PAGES and record["status"] == 200:
                    pages[record["path"].split("?", 1)[0].rsplit("/", 1)[-1]] = record.get("body") or ""
                if (record.get("content_type") or "").startswith("application/problem+json"):
                    problems.append(json.loads(record["body"]))
    faults += problem_faults(documented_problem_types(spec), problems, pages)
    for template, operations in spec["paths"].items():
        for method in METHODS:
            name = f"{method.upper()} {template}"
            if method in operations and name not in succeeded and name not in uncovered:
                faults.append(f"{name}: never answered 2xx in the recorded scenario")
    for fault in faults:
        print(fault)
    print(f"{checked} responses checked, {len(faults)} faults")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
