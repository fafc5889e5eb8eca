"""Typed calls to the server for the back office, over `desktop/net/http.py` (typed errors).

Qt-free and blocking: views call it from a worker thread. The bearer token is passed in by
`OfficeSession`, which keeps it in memory only.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx

from desktop.net.http import ServerClient
from desktop.office.models import (
    Location,
    OfficeUser,
    ReceiptProfile,
    SellingRules,
    TaxClass,
    TaxPreset,
    Till,
)
from desktop.office.staff_models import Assignment, RoleInfo, RolePreview, StaffMember
from shared.errors import NotFound

IMPORT_TIMEOUT = 120.0  # seconds for a catalog file's import or export


class OfficeClient:
    """One server, one optional bearer token; every method raises the server's typed error or
    `ServerUnreachable`."""

    def __init__(
        self,
        server_url: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
    ) -> None:
        self._http = ServerClient(server_url, transport=transport, timeout=timeout)
        self.token: str | None = None

    def _call(self, method: str, path: str, body: Any = None, *, token: str | None = None) -> Any:
        token = token or self.token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        kwargs: dict[str, Any] = {"headers": headers}
        if body is not None:
            kwargs["json"] = body
        response = self._http.request(method, path, **kwargs)
        return None if response.status_code == 204 else response.json()

    # ------------------------------------------------------------------ identity
    def login(self, email: str, password: str) -> str:
        """Returns the session token (the caller keeps it; we never write it anywhere)."""
        answer = self._call("POST", "/v1/auth/login", {"email": email, "password": password})
        return str(answer["token"])

    def me(self) -> OfficeUser:
        return OfficeUser.parse(self._call("GET", "/v1/me"))

    def logout(self, token: str) -> None:
        """End `token`'s session on the server (the caller has already forgotten it)."""
        self._call("POST", "/v1/auth/logout", token=token)

    def health(self) -> None:
        self._call("GET", "/health")

    # ------------------------------------------------------------------ locations
    def locations(self) -> list[Location]:
        return [Location.parse(x) for x in self._call("GET", "/v1/locations")]

    def create_location(
        self, *, code: str, name: str, address_lines: list[str], timezone: str | None,
        currency: str | None = None,
    ) -> Location:  # fmt: skip
        body = {"code": code, "name": name, "address_lines": address_lines, "timezone": timezone,
                "currency": currency}  # fmt: skip
        return Location.parse(self._call("POST", "/v1/locations", body))

    def update_location(
        self, location_id: uuid.UUID, *, name: str, address_lines: list[str], timezone: str | None,
        currency: str | None = None,
    ) -> Location:  # fmt: skip
        body = {"name": name, "address_lines": address_lines, "timezone": timezone,
                "currency": currency}  # fmt: skip
        return Location.parse(self._call("PATCH", f"/v1/locations/{location_id}", body))

    # ------------------------------------------------------------------ selling rules
    def selling_rules(self) -> SellingRules:
        return SellingRules.parse(self._call("GET", "/v1/selling-rules"))

    def save_selling_rules(self, rules: SellingRules) -> SellingRules:
        return SellingRules.parse(self._call("PUT", "/v1/selling-rules", rules.body()))

    # ------------------------------------------------------------------ taxes
    def tax_presets(self) -> list[TaxPreset]:
        return [TaxPreset.parse(x) for x in self._call("GET", "/v1/tax/presets")]

    def apply_preset(
        self, country: str, *, rate_percent: Decimal | None = None, location: str | None = None
    ) -> None:
        body: dict[str, str] = {}
        if rate_percent is not None:
            body["rate_percent"] = str(rate_percent)
        if location is not None:
            body["location"] = location
        self._call("POST", f"/v1/tax/presets/{country}/apply", body or None)

    def tax_classes(self) -> list[TaxClass]:
        return [TaxClass.parse(x) for x in self._call("GET", "/v1/catalog/tax-classes")]

    def save_tax_class(self, code: str, rates: list[tuple[str, Decimal]]) -> TaxClass:
        body = {"rates": [{"code": c, "percent": str(p)} for c, p in rates]}
        return TaxClass.parse(self._call("PUT", f"/v1/catalog/tax-classes/{code}", body))

    def save_location_rates(
        self, code: str, location: str, rates: list[tuple[str, Decimal]]
    ) -> TaxClass:
        body = {"rates": [{"code": c, "percent": str(p)} for c, p in rates]}
        path = f"/v1/catalog/tax-classes/{code}/locations/{location}"
        return TaxClass.parse(self._call("PUT", path, body))

    def clear_location_rates(self, code: str, location: str) -> TaxClass:
        path = f"/v1/catalog/tax-classes/{code}/locations/{location}"
        return TaxClass.parse(self._call("DELETE", path))

    # ------------------------------------------------------------------ staff and roles
    def staff(self) -> list[StaffMember]:
        return [StaffMember.parse(x) for x in self._call("GET", "/v1/staff")]

    def hire(
        self, *, name: str, code: str, pin: str, roles: list[Assignment],
        email: str | None = None, password: str | None = None,
    ) -> StaffMember:  # fmt: skip
        body: dict[str, Any] = {"name": name, "code": code, "pin": pin,
                                "roles": [a.body() for a in roles]}  # fmt: skip
        if email is not None:
            body |= {"email": email, "password": password}
        return StaffMember.parse(self._call("POST", "/v1/staff", body))

    def rename_staff(self, user_id: uuid.UUID, name: str) -> StaffMember:
        return StaffMember.parse(self._call("PATCH", f"/v1/staff/{user_id}", {"name": name}))

    def set_staff_roles(self, user_id: uuid.UUID, roles: list[Assignment]) -> StaffMember:
        body = {"roles": [a.body() for a in roles]}
        return StaffMember.parse(self._call("PUT", f"/v1/staff/{user_id}/roles", body))

    def set_staff_status(self, user_id: uuid.UUID, *, active: bool) -> StaffMember:
        body = {"active": active}
        return StaffMember.parse(self._call("PUT", f"/v1/staff/{user_id}/status", body))

    def set_staff_email(
        self, user_id: uuid.UUID, email: str | None, password: str | None
    ) -> StaffMember:
        body: dict[str, Any] = {"email": email}
        if password is not None:
            body["password"] = password
        return StaffMember.parse(self._call("PUT", f"/v1/staff/{user_id}/email", body))

    def set_pin(self, user_id: uuid.UUID, pin: str) -> StaffMember:
        return StaffMember.parse(self._call("PUT", f"/v1/staff/{user_id}/pin", {"pin": pin}))

    def unlock_staff(self, user_id: uuid.UUID) -> StaffMember:
        return StaffMember.parse(self._call("POST", f"/v1/staff/{user_id}/unlock"))

    def roles(self) -> list[RoleInfo]:
        return [RoleInfo.parse(x) for x in self._call("GET", "/v1/roles")]

    def create_role(self, name: str, permissions: list[str]) -> RoleInfo:
        body = {"name": name, "permissions": permissions}
        return RoleInfo.parse(self._call("POST", "/v1/roles", body))

    def rename_role(self, role_id: uuid.UUID, name: str) -> RoleInfo:
        return RoleInfo.parse(self._call("PATCH", f"/v1/roles/{role_id}", {"name": name}))

    def set_role_permissions(self, role_id: uuid.UUID, permissions: list[str]) -> RoleInfo:
        body = {"permissions": permissions}
        return RoleInfo.parse(self._call("PUT", f"/v1/roles/{role_id}/permissions", body))

    def delete_role(self, role_id: uuid.UUID) -> None:
        self._call("DELETE", f"/v1/roles/{role_id}")

    def preview_role(self, role_id: uuid.UUID) -> RolePreview:
        return RolePreview.parse(self._call("GET", f"/v1/roles/{role_id}/preview"))

    # ------------------------------------------------------------------ tills
    def devices(self) -> list[Till]:
        return [Till.parse(x) for x in self._call("GET", "/v1/devices")]

    def enrollment_code(self, location_id: uuid.UUID, minutes: int) -> tuple[str, datetime]:
        body = {"location_id": str(location_id), "ttl_minutes": minutes}
        answer = self._call("POST", "/v1/devices/enrollment-codes", body)
        return str(answer["code"]), datetime.fromisoformat(str(answer["expires_at"]))

    def move_device(self, device_id: uuid.UUID, location_id: uuid.UUID) -> Till:
        body = {"location_id": str(location_id)}
        return Till.parse(self._call("PATCH", f"/v1/devices/{device_id}", body))

    def revoke_device(self, device_id: uuid.UUID) -> Till:
        return Till.parse(self._call("POST", f"/v1/devices/{device_id}/revoke"))

    # ------------------------------------------------------------------ receipt profile
    def receipt_profile(self) -> ReceiptProfile:
        """The receipt header and footer, with the logo as tills print it (None: no logo)."""
        settings = self._call("GET", "/v1/business/settings")
        try:
            logo: bytes | None = self._http.request(
                "GET", "/v1/business/logo", headers=self._auth()
            ).content
        except NotFound:
            logo = None
        return ReceiptProfile.parse(settings, logo)

    def save_receipt_profile(self, profile: ReceiptProfile) -> ReceiptProfile:
        saved = self._call("PUT", "/v1/business/settings", profile.body())
        return ReceiptProfile.parse(saved, profile.logo)

    def upload_logo(self, data: bytes, media_type: str) -> bytes:
        """Store a new logo; returns it as tills will print it (the server makes it 1-bit)."""
        headers = {**self._auth(), "Content-Type": media_type}
        self._http.request("PUT", "/v1/business/logo", headers=headers, content=data)
        return self._http.request("GET", "/v1/business/logo", headers=self._auth()).content

    def remove_logo(self) -> None:
        self._call("DELETE", "/v1/business/logo")

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    # ------------------------------------------------------------------ catalog file
    def catalog_import(self, data: bytes, *, apply: bool) -> dict[str, Any]:
        """Preview (`apply=False`: nothing written) or import a catalog CSV file: the counts
        and row errors (docs/catalog-csv.md). A refused import raises VALIDATION with the
        preview as details."""
        path = "/v1/catalog/import" if apply else "/v1/catalog/import/preview"
        headers = {"Content-Type": "text/csv"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        # 50,000 rows take the server ~15 s (bench/catalog_import.py): more than a read's 10 s.
        response = self._http.request(
            "POST", path, content=data, headers=headers, timeout=IMPORT_TIMEOUT
        )
        answer: dict[str, Any] = response.json()
        return answer

    def catalog_export(self) -> bytes:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = self._http.request(
            "GET", "/v1/catalog/export", headers=headers, timeout=IMPORT_TIMEOUT
        )
        return response.content

    # ------------------------------------------------------------------ sync inbox
    def inbox(self) -> list[dict[str, Any]]:
        answer: list[dict[str, Any]] = self._call("GET", "/v1/sync/inbox")
        return answer

    def resolve(
        self, item_id: str, resolution: str, note: str, value: Any = None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"resolution": resolution, "note": note}
        if value is not None:
            body["value"] = value
        answer: dict[str, Any] = self._call("POST", f"/v1/sync/inbox/{item_id}/resolve", body)
        return answer

    def resolved(self) -> list[dict[str, Any]]:
        answer: list[dict[str, Any]] = self._call("GET", "/v1/sync/inbox/resolved")
        return answer

    # ------------------------------------------------------------------ item pictures
    def upload_image(self, item_id: uuid.UUID, data: bytes, media_type: str) -> str:
        """The item's new picture; returns its sha256 (the server shrinks it to a tile's)."""
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": media_type}
        path = f"/v1/catalog/items/{item_id}/image"
        answer = self._http.request("PUT", path, headers=headers, content=data).json()
        return str(answer["sha256"])

    def image(self, sha256: str) -> bytes:
        """A picture's bytes as tills get them."""
        headers = {"Authorization": f"Bearer {self.token}"}
        return self._http.request("GET", f"/v1/catalog/images/{sha256}", headers=headers).content

    def remove_image(self, item_id: uuid.UUID) -> None:
        self._call("DELETE", f"/v1/catalog/items/{item_id}/image")

    def close(self) -> None:
        self._http.close()
