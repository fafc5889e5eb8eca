"""ZVT (the German ECR ↔ payment terminal protocol), the subset a till needs, over TCP or a
serial line (`zvt_link.py`).

The till (ECR) sends a command; the terminal (PT) acknowledges `80 00 00`, may send intermediate
status `04 FF` and status information `04 0F` (result, amount, trace number, masked card), and
ends with completion `06 0F` or abort `06 1E`. The ECR acknowledges every message it receives.

Never charged twice: before a payment the till notes the terminal's last trace number; if the
answer is lost (timeout, dropped connection, a line too noisy to carry frames), it asks for the
last transaction (`06 20`) and counts the payment as approved only when a new trace with our
amount is there.
"""

from __future__ import annotations

from desktop.hardware.payment_terminal import CardResult
from desktop.hardware.zvt_apdu import (
    ABORT,
    ACK,
    AUTHORIZATION,
    BMP_RECEIPT,
    COMPLETION,
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
)
from desktop.hardware.zvt_link import TcpZvtLink, ZvtLink, parse_zvt_url
from shared.errors import Unavailable
from shared.money import Money

ACK_APDU = Apdu.decode(ACK)
ENQUIRY_TIMEOUT_S = 5.0


class ZvtTerminal:
    """A `PaymentTerminal` speaking ZVT through a link (TCP or serial)."""

    def __init__(self, link: ZvtLink, *, timeout_s: float = 90.0) -> None:
        self.link, self.timeout_s = link, timeout_s

    @classmethod
    def from_url(cls, url: str) -> ZvtTerminal:
        """`zvt://host[:port]` or `zvt+serial:///dev/ttyUSB0` (see `parse_zvt_url`)."""
        return cls(parse_zvt_url(url))

    @classmethod
    def tcp(cls, host: str, port: int = 20007, *, timeout_s: float = 90.0) -> ZvtTerminal:
        return cls(TcpZvtLink(host, port), timeout_s=timeout_s)

    # ------------------------------------------------------------------ the interface
    def charge(self, amount: Money, *, reference: str) -> CardResult:  # noqa: ARG002
        before = self._last_trace()
        try:
            return self._transaction(Apdu(*AUTHORIZATION, amount_field(amount)))
        except OSError:
            # The answer was lost: did the terminal take the money? Ask before anything else.
            last = self._last_status()
            if (
                last is not None
                and last.trace != before
                and last.amount_minor == amount.minor_units
            ):
                return self._result(last)
            raise Unavailable(
                "the card terminal stopped answering and did not take the payment; try again",
                details={"terminal": self.link.describe()},
            ) from None

    def refund(self, amount: Money, *, reference: str) -> CardResult:  # noqa: ARG002
        return self._transaction(Apdu(*REFUND, amount_field(amount)))

    def reverse(self, approval_code: str, *, reference: str) -> None:  # noqa: ARG002
        receipt = int(approval_code.removeprefix("R").lstrip("0") or "0")
        self._transaction(Apdu(*REVERSAL, bytes([BMP_RECEIPT]) + bcd(receipt, 2)))

    def online(self) -> bool:
        """Status enquiry: the terminal answers and is ready (result 00)."""
        try:
            status, end = self._dialogue(Apdu(*STATUS_ENQUIRY), ENQUIRY_TIMEOUT_S)
        except OSError:
            return False
        return status.result == 0 if status else end.command == COMPLETION

    def end_of_day(self) -> int:
        """Close the terminal's day (settlement); returns the total it settled, minor units."""
        status, end = self._dialogue(Apdu(*END_OF_DAY), self.timeout_s)
        if end.command == PT_ABORT:
            raise Unavailable("the card terminal refused the end of day")
        return (status.amount_minor if status else None) or 0

    def cancel(self) -> None:
        """Ask the terminal to abort the payment in progress (the customer changed their mind)."""
        with self.link.session(ENQUIRY_TIMEOUT_S) as channel:
            channel.send(Apdu(*ABORT))
            channel.receive()  # the terminal's acknowledgement

    # ------------------------------------------------------------------ the protocol
    def _dialogue(self, command: Apdu, timeout_s: float) -> tuple[StatusInfo | None, Apdu]:
        """Send `command`, acknowledge every answer; the last status information and the
        message that ended the dialogue (completion or abort)."""
        with self.link.session(timeout_s) as channel:
            channel.send(command)
            if channel.receive().encode() != ACK:
                raise ConnectionError("the card terminal refused the command")
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

    def _last_status(self) -> StatusInfo | None:
        try:
            status, end = self._dialogue(Apdu(*LAST_TRANSACTION), ENQUIRY_TIMEOUT_S)
        except OSError:
            return None
        return status if end.command == COMPLETION else None

    def _last_trace(self) -> int | None:
        last = self._last_status()
        return last.trace if last else None

    @staticmethod
    def _result(status: StatusInfo) -> CardResult:
        if status.result != 0:
            return CardResult(approved=False, message=f"declined (code {status.result:#04x})")
        code = f"R{status.receipt:04d}" if status.receipt is not None else None
        return CardResult(True, approval_code=code, last4=status.last4, scheme=status.scheme)
