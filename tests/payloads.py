"""What Linkwise asked Discord to show, read from SimCord's log of REST requests.

Checking the payloads (rather than the messages SimCord kept) covers every path at once:
channel posts, interaction answers, follow-ups, edits and modals.
"""

from __future__ import annotations

import fnmatch
from typing import Any

# REST calls that carry a message.
MESSAGE_WRITES = (
    ("POST", "/channels/*/messages"),
    ("PATCH", "/channels/*/messages/*"),
    ("POST", "/interactions/*/*/callback"),
    ("POST", "/webhooks/*/*"),
    ("PATCH", "/webhooks/*/*/messages/*"),
)
MESSAGE_CALLBACKS = {4, 7}  # interaction callback types: channel message, update message
MODAL_CALLBACK = 9


def _callbacks(request) -> bool:
    return request.method == "POST" and fnmatch.fnmatchcase(request.path, "/interactions/*/*/callback")


def message_payloads(requests) -> list[tuple[str, dict[str, Any]]]:
    """(``METHOD path``, message body) for every request that created or edited a message."""
    out = []
    for request in requests:
        if not any(request.method == m and fnmatch.fnmatchcase(request.path, p) for m, p in MESSAGE_WRITES):
            continue
        body = request.json or {}
        if _callbacks(request):
            if body.get("type") not in MESSAGE_CALLBACKS:
                continue
            body = body.get("data") or {}
        out.append((f"{request.method} {request.path}", body))
    return out


def modal_payloads(requests) -> list[dict[str, Any]]:
    return [
        (r.json or {}).get("data") or {}
        for r in requests
        if _callbacks(r) and (r.json or {}).get("type") == MODAL_CALLBACK
    ]


def _embed_problems(embed: dict[str, Any]) -> list[str]:
    problems = []
    fields = embed.get("fields") or []
    sizes = {
        "title": (len(embed.get("title") or ""), 256),
        "description": (len(embed.get("description") or ""), 4096),
        "footer": (len((embed.get("footer") or {}).get("text") or ""), 2048),
        "author": (len((embed.get("author") or {}).get("name") or ""), 256),
        "fields": (len(fields), 25),
    }
    for index, field in enumerate(fields):
        sizes[f"field {index} name"] = (len(field.get("name") or ""), 256)
        sizes[f"field {index} value"] = (len(field.get("value") or ""), 1024)
        if not (field.get("name") or "").strip() or not (field.get("value") or "").strip():
            problems.append(f"field {index} is empty")
    problems += [f"{what} {size} > {limit}" for what, (size, limit) in sizes.items() if size > limit]
    return problems


def embed_chars(embed: dict[str, Any]) -> int:
    return (
        len(embed.get("title") or "")
        + len(embed.get("description") or "")
        + len((embed.get("footer") or {}).get("text") or "")
        + len((embed.get("author") or {}).get("name") or "")
        + sum(len(f.get("name") or "") + len(f.get("value") or "") for f in embed.get("fields") or [])
    )


def _components(body: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for row in body.get("components") or []:
        out.extend(row.get("components") or [row])
    return out


def limit_problems(requests) -> list[str]:
    """Every way a message or modal Linkwise sent breaks Discord's limits (empty if none)."""
    problems = []
    for where, body in message_payloads(requests):
        content = body.get("content") or ""
        embeds = body.get("embeds") or []
        found = [f"content {len(content)} > 2000"] if len(content) > 2000 else []
        if len(embeds) > 10:
            found.append(f"{len(embeds)} embeds")
        for embed in embeds:
            found += _embed_problems(embed)
        if sum(embed_chars(e) for e in embeds) > 6000:
            found.append("embeds total > 6000")
        for component in _components(body):
            if len(component.get("custom_id") or "") > 100:
                found.append("custom_id > 100")
            if len(component.get("label") or "") > 80:
                found.append("label > 80")
            options = component.get("options") or []
            if len(options) > 25:
                found.append("select options > 25")
            found += [f"option label {o['label']!r} > 100" for o in options if len(o.get("label") or "") > 100]
        problems += [f"{where}: {p}" for p in found]
    for modal in modal_payloads(requests):
        if len(modal.get("title") or "") > 45:
            problems.append(f"modal title {modal.get('title')!r} > 45")
        for component in _components(modal):
            if len(component.get("label") or "") > 45:
                problems.append(f"modal label {component.get('label')!r} > 45")
    return problems


def text_inputs(components) -> dict[str, dict[str, Any]]:
    """Every component with a custom_id in a modal's components, however nested (rows, labels),
    by custom_id."""
    found: dict[str, dict[str, Any]] = {}
    for component in components:
        if "custom_id" in component:
            found[component["custom_id"]] = component
        found.update(text_inputs(component.get("components", [])))
        if "component" in component:
            found.update(text_inputs([component["component"]]))
    return found
