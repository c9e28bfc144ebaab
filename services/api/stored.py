"""Answers served as stored: the read models' bytes as their writers rendered them (ARCHITECTURE.md,
"Read models"), with the read model's version as a strong `ETag`, so a client polling with
`If-None-Match` gets a `304` until the answer changes. No response model validates them again."""

from typing import Annotated, Any

from fastapi import Header, Response

IfNoneMatch = Annotated[str | None, Header(max_length=1024)]
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {304: {"description": "Not modified since the `ETag` sent"}}


def stored_answer(body: str, version: int, if_none_match: str | None) -> Response:
    etag = f'"{version}"'
    if if_none_match is not None and etag in (tag.strip() for tag in if_none_match.split(",")):
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})
