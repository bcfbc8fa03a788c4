"""SARIF 2.1.0 with the rules' metadata and help; taint flows as codeFlows."""

from __future__ import annotations

import json

from leery import __version__
from leery.core.registry import load_rules

_LEVEL = {"error": "error", "warning": "warning", "info": "note", "hint": "note"}


def _location(path: str, span: dict | object, ctx, message: str | None = None) -> dict:
    s = span if isinstance(span, dict) else span.to_dict()  # type: ignore[union-attr]
    loc: dict = {
        "physicalLocation": {
            "artifactLocation": {"uri": ctx.display_path(path), "uriBaseId": "%SRCROOT%"},
            "region": {
                "startLine": s["start_line"] + 1,
                "startColumn": s["start_col"] + 1,
                "endLine": s["end_line"] + 1,
                "endColumn": s["end_col"] + 1,
            },
        }
    }
    if message:
        loc["message"] = {"text": message}
    return loc


def render(findings, ctx) -> str:
    registry = load_rules()
    used = sorted({f.code for f in findings})
    rules = []
    index = {}
    for code in used:
        rule = registry.get(code)
        if rule is None:
            continue
        index[code] = len(rules)
        rules.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.section("What it does") or rule.summary},
                "help": {"text": rule.doc, "markdown": rule.doc},
                "helpUri": rule.url,
                "defaultConfiguration": {"level": _LEVEL[rule.severity.value]},
                "properties": {"confidence": rule.confidence.value, "family": rule.family, "tags": [rule.family]},
            }
        )
    results = []
    for f in findings:
        result: dict = {
            "ruleId": f.code,
            "level": _LEVEL[f.severity.value],
            "message": {"text": f.message},
            "locations": [_location(f.path, f.span, ctx)],
            "properties": {"confidence": f.confidence.value},
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.related:
            result["relatedLocations"] = [
                {**_location(r.path, r.span, ctx, r.message), "id": i} for i, r in enumerate(f.related)
            ]
        flow = f.extra.get("flow")
        if flow:
            result["codeFlows"] = [
                {
                    "threadFlows": [
                        {"locations": [{"location": _location(step["path"], step["span"], ctx, step["message"])} for step in flow]}
                    ]
                }
            ]
        if f.fix and f.fix.edits:
            result["fixes"] = [
                {
                    "description": {"text": f"{f.fix.title} ({f.fix.applicability.value})"},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": ctx.display_path(f.path), "uriBaseId": "%SRCROOT%"},
                            "replacements": [
                                {
                                    "deletedRegion": {
                                        "startLine": e.span.start_line + 1,
                                        "startColumn": e.span.start_col + 1,
                                        "endLine": e.span.end_line + 1,
                                        "endColumn": e.span.end_col + 1,
                                    },
                                    "insertedContent": {"text": e.new_text},
                                }
                                for e in f.fix.edits
                            ],
                        }
                    ],
                }
            ]
        results.append(result)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "leery",
                        "version": __version__,
                        "informationUri": "https://github.com/leery-dev/leery",
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {"%SRCROOT%": {"uri": ctx.cwd.resolve().as_uri() + "/"}},
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
