"""ZVT (the German ECR ↔ payment terminal protocol), the subset a till needs, over TCP or a
serial line (`zvt_link.py`).

The till (ECR) sends a command; the terminal (PT) acknowledges `80 00 00`, may send intermediate
status `04 FF` and status information `04 0F` (result, amount, trace number, masked card), and
ends with completion `06 0F` or abort `06 1E`. The ECR acknowledges every message it receives.

Never charged twice: before a payment the till notes the terminal's last trace number; if the
answer is lost (timeout, dropped connection, a line too noisy to carry frames), it asks for the
last transaction (`06 20`) and counts the payment as approved only when a new trace with our
amount is there. If the terminal cannot even be asked, the outcome is unknown: the cashier is
told so, and the next attempt asks again before it may charge.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from desktop.hardware.payment_terminal import CardResult
from desktop.hardware.zvt_apdu import (
    ABORT,
    ACK,
    AUTHORIZATION,
    BMP_RECEIPT,
    COMPLETION,
    DEFAULT_PASSWORD,
    END_OF_DAY,
    LAST_TRANSACTION,
    PT_ABORT,
    REFUND,
    REVERSAL,
    STATUS_ENQUIRY,
    STATUS_INFO,
    Apdu,
    StatusInfo,
    amount_field,
    bcd,
    parse_status,
    password_field,
)
from desktop.hardware.zvt_link import Channel, TcpZvtLink, ZvtLink, parse_zvt_url
from desktop.hardware.zvt_serial import Refused
from desktop.hardware.zvt_unsettled import InMemory, Unsettled, UnsettledMemory
from shared.errors import Unavailable
from shared.money import Money

ACK_APDU = Apdu.decode(ACK)


NOT_REACHED = "could not be reached"


class NotDelivered(ConnectionError):
    """The command certainly did not reach the terminal, or it refused it: nothing happened."""

    def __init__(self, message: str, reason: str = NOT_REACHED) -> None:
        super().__init__(message)
        self.reason = reason  # for the cashier: "could not be reached", "refused the command…"


class ZvtTerminal:
    """A `PaymentTerminal` speaking ZVT through a link (TCP or serial)."""

    def __init__(
        self,
        link: ZvtLink,
        *,
        timeout_s: float = 90.0,
        enquiry_timeout_s: float = 5.0,
        password: str = DEFAULT_PASSWORD,
        memory: UnsettledMemory | None = None,
    ) -> None:
        """`memory`: where a payment of unknown outcome is remembered (a till keeps it in a
        file beside its database, so a restart does not forget it)."""
        self.link, self.timeout_s, self.enquiry_timeout_s = link, timeout_s, enquiry_timeout_s
        self._password = password_field(password)  # refunds, reversals, status, end of day
        self.memory = memory or InMemory()

    @classmethod
    def from_url(cls, url: str, *, memory: UnsettledMemory | None = None) -> ZvtTerminal:
        """`zvt://host[:port]` or `zvt+serial:///dev/ttyUSB0` (see `parse_zvt_url`);
        `?password=123456` when the terminal's operator password is not 000000."""
        password = parse_qs(urlsplit(url).query).get("password", [DEFAULT_PASSWORD])[0]
        return cls(parse_zvt_url(url), password=password, memory=memory)

    @classmethod
    def tcp(cls, host: str, port: int = 20007, *, timeout_s: float = 90.0) -> ZvtTerminal:
        return cls(TcpZvtLink(host, port), timeout_s=timeout_s)

    # ------------------------------------------------------------------ the interface
    def charge(self, amount: Money, *, reference: str) -> CardResult:  # noqa: ARG002
        """Never charged twice: a lost answer is settled by asking the terminal for its last
        transaction; if even that cannot be asked, the payment stays *unsettled* and the next
        attempt asks again before it may charge."""
        unsettled = self.memory.load()
        if unsettled is not None:
            earlier = self._settle(unsettled, amount)
            if earlier is not None:
                return earlier
        last = self._last_status()
        before = last.trace if last else None
        try:
            return self._transaction(Apdu(*AUTHORIZATION, amount_field(amount)))
        except NotDelivered as exc:
            hint = (
                "; check its cable or network, then try again" if exc.reason == NOT_REACHED else ""
            )
            raise Unavailable(
                f"the card terminal {exc.reason}: nothing was charged{hint}",
                details={"terminal": self.link.describe()},
            ) from None
        except OSError:
            # The answer was lost: did the terminal take the money? Ask before anything else.
            try:
                last = self._ask_last()
            except OSError:
                self.memory.save(Unsettled(amount.minor_units, before))
                raise self._unknown() from None
            if last is not None and self._took(last, before, amount.minor_units):
                return self._result(last)
            raise Unavailable(
                "the card terminal stopped answering and did not take the payment; try again",
                details={"terminal": self.link.describe()},
            ) from None

    def _settle(self, unsettled: Unsettled, amount: Money) -> CardResult | None:
        """The approval of the unsettled payment if the terminal took it for this amount; None
        when it did not (or took another amount, which is reversed first). Raises Unavailable
        while the terminal cannot say, or the reversal fails."""
        try:
            last = self._ask_last()
        except OSError:
            raise self._unknown() from None
        earlier = (
            self._result(last)
            if last is not None and self._took(last, unsettled.trace_before, unsettled.amount_minor)
            else None
        )
        if earlier is not None and unsettled.amount_minor == amount.minor_units:
            self.memory.save(None)
            return earlier
        if earlier is not None and earlier.approved and earlier.approval_code:
            # The sale changed meanwhile: the customer gets the earlier amount back first.
            self.reverse(earlier.approval_code, reference="unsettled")
        self.memory.save(None)
        return None

    @staticmethod
    def _took(last: StatusInfo, before: int | None, amount_minor: int) -> bool:
        return last.trace != before and last.amount_minor == amount_minor

    def _unknown(self) -> Unavailable:
        return Unavailable(
            "the card terminal stopped answering and cannot say yet whether it took the "
            "payment: check its screen, then try again — the till asks it first and never "
            "charges twice",
            details={"terminal": self.link.describe(), "outcome": "unknown"},
        )

    def refund(self, amount: Money, *, reference: str) -> CardResult:  # noqa: ARG002
        """Raises Unavailable: not reached, refused, or no confirmation."""
        return self._admin(Apdu(*REFUND, self._password + amount_field(amount)), "refund")

    def reverse(self, approval_code: str, *, reference: str) -> None:  # noqa: ARG002
        """Raises Unavailable: not reached, refused, or no confirmation."""
        receipt = int(approval_code.removeprefix("R").lstrip("0") or "0")
        field = bytes([BMP_RECEIPT]) + bcd(receipt, 2)
        self._admin(Apdu(*REVERSAL, self._password + field), "reversal")

    def _admin(self, command: Apdu, what: str) -> CardResult:
        try:
            return self._transaction(command)
        except NotDelivered as exc:
            raise Unavailable(
                f"the card terminal {exc.reason}: no {what} was made",
                details={"terminal": self.link.describe()},
            ) from None
        except OSError:
            raise Unavailable(
                f"the card terminal stopped answering during the {what}: check its screen "
                "before trying again",
                details={"terminal": self.link.describe(), "outcome": "unknown"},
            ) from None

    def online(self) -> bool:
        """Status enquiry: the terminal answers and is ready (result 00)."""
        try:
            status, end = self._dialogue(
                Apdu(*STATUS_ENQUIRY, self._password), self.enquiry_timeout_s
            )
        except OSError:
            return False
        return status.result == 0 if status else end.command == COMPLETION

    def end_of_day(self) -> int:
        """Close the terminal's day (settlement); returns the total it settled, minor units."""
        try:
            status, end = self._dialogue(Apdu(*END_OF_DAY, self._password), self.timeout_s)
        except NotDelivered as exc:
            raise Unavailable(f"the card terminal {exc.reason}: the day was not closed") from None
        if end.command == PT_ABORT:
            raise Unavailable("the card terminal refused the end of day")
        return (status.amount_minor if status else None) or 0

    def cancel(self) -> None:
        """Ask the terminal to abort the payment in progress (the customer changed their mind)."""
        with self.link.session(self.enquiry_timeout_s) as channel:
            channel.send(Apdu(*ABORT))
            channel.receive()  # the terminal's acknowledgement

    # ------------------------------------------------------------------ the protocol
    def _dialogue(self, command: Apdu, timeout_s: float) -> tuple[StatusInfo | None, Apdu]:
        """Send `command`, acknowledge every answer; the last status information and the
        message that ended the dialogue (completion or abort)."""
        delivered = False
        try:
            with self.link.session(timeout_s) as channel:
                try:
                    channel.send(command)
                except Refused:
                    raise
                except OSError:
                    delivered = True  # it may have reached the terminal
                    raise
                delivered = True
                return self._answers(channel)
        except OSError as exc:
            if delivered:
                raise
            raise NotDelivered(str(exc)) from exc

    @staticmethod
    def _answers(channel: Channel) -> tuple[StatusInfo | None, Apdu]:
        """Acknowledge every answer until the one that ends the dialogue."""
        if channel.receive().encode() != ACK:
            raise NotDelivered(
                "the card terminal refused the command",
                "refused the command (is the terminal password in the till's settings right?)",
            )
        status: StatusInfo | None = None
        while True:
            message = channel.receive()
            channel.send(ACK_APDU)
            if message.command == STATUS_INFO:
                status = parse_status(message.data)
            elif message.command in (COMPLETION, PT_ABORT):
                return status, message
            # intermediate status (PIN entry, "insert card") and anything else: keep waiting

    def _transaction(self, command: Apdu) -> CardResult:
        status, end = self._dialogue(command, self.timeout_s)
        if end.command == PT_ABORT:
            code = end.data[0] if end.data else 0xFF
            return CardResult(approved=False, message=f"declined (code {code:#04x})")
        return self._result(status) if status else CardResult(approved=False)

    def _ask_last(self) -> StatusInfo | None:
        """The terminal's last transaction (None: it has none). Raises OSError: no answer."""
        status, end = self._dialogue(Apdu(*LAST_TRANSACTION), self.enquiry_timeout_s)
        return status if end.command == COMPLETION else None

    def _last_status(self) -> StatusInfo | None:
        try:
            return self._ask_last()
        except OSError:
            return None

    @staticmethod
    def _result(status: StatusInfo) -> CardResult:
        if status.result != 0:
            return CardResult(approved=False, message=f"declined (code {status.result:#04x})")
        code = f"R{status.receipt:04d}" if status.receipt is not None else None
        return CardResult(True, approval_code=code, last4=status.last4, scheme=status.scheme)
