"""Items' tile pictures from the back office (Qt-free): a picture file is checked here, sent to
the server — which makes it tile-sized and names it in the item, so every till gets it with
its next sync — and its tile-sized bytes come back for this till to show straight away."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from desktop.net.http import ServerUnreachable
from desktop.office import rules
from desktop.office.session import OfficeSession
from shared.errors import AuthnError, AuthzError, NotFound
from shared.tile_image import MAX_UPLOAD_BYTES, media_type_for, refused, too_large

OPERATION = "catalog.picture"
NEEDS_SERVER = "Pictures need the server — connect and try again"
SIGN_IN = "Sign in with your e-mail (Business set-up) to change pictures"
NOT_ON_SERVER = (
    "The server does not know this item yet: save it, let the till sync, then add the picture"
)


@dataclass(frozen=True)
class Picture:
    sha256: str
    png: bytes  # as the server made it: what tiles show


def read_picture(path: str) -> tuple[bytes, str]:
    """A picture file's bytes and Content-Type, checked before anything is sent.

    Raises:
        ValidationFailed: another kind of file, unreadable, empty or over 5 MB (field "image").
    """
    kind = media_type_for(path)
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_UPLOAD_BYTES + 1)
    except OSError as exc:
        raise refused(f"that file cannot be read ({exc.strerror or exc})") from None
    if not data:
        raise refused("the picture file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_large()
    return data, kind


class PictureDesk:
    def __init__(self, session: OfficeSession) -> None:
        self.session = session

    def why_not(self) -> str | None:
        """Why pictures cannot be changed now, in the owner's words (None: they can)."""
        reason = self.session.why_not(OPERATION)
        if reason in (rules.OFFLINE, rules.NOT_CONNECTED):
            return NEEDS_SERVER
        return SIGN_IN if reason == rules.SIGN_IN else reason

    def _guard(self) -> None:
        reason = self.why_not()
        if reason == NEEDS_SERVER:
            raise ServerUnreachable(reason)
        if reason == SIGN_IN:
            raise AuthnError(reason)
        if reason is not None:
            raise AuthzError(reason)

    def upload(self, item_id: uuid.UUID, path: str) -> Picture:
        """Send the picture file at `path` as the item's picture (runs off the UI thread).

        Raises:
            ValidationFailed: not a picture the server takes (field "image").
            NotFound: the server does not know the item yet (NOT_ON_SERVER).
            ServerUnreachable: offline (NEEDS_SERVER); AuthnError / AuthzError: not allowed.
        """
        data, kind = read_picture(path)
        self._guard()
        try:
            sha = self.session.call(lambda c: c.upload_image(item_id, data, kind))
            return Picture(sha, self.session.call(lambda c: c.image(sha)))
        except ServerUnreachable:
            raise ServerUnreachable(NEEDS_SERVER) from None
        except NotFound:
            raise NotFound(NOT_ON_SERVER, details={"field": "image"}) from None

    def remove(self, item_id: uuid.UUID) -> None:
        """The item shows no picture on any till (after their next sync).

        Raises:
            as `upload` (but never ValidationFailed).
        """
        self._guard()
        try:
            self.session.call(lambda c: c.remove_image(item_id))
        except ServerUnreachable:
            raise ServerUnreachable(NEEDS_SERVER) from None
        except NotFound:
            raise NotFound(NOT_ON_SERVER, details={"field": "image"}) from None
