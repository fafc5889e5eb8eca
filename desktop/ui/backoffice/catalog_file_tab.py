"""Business set-up, catalog file: import items from a CSV file — a preview first that says what
would be created, changed and refused (row, column, reason), then the import, all or nothing —
and export the catalog to a file that imports back to no change (docs/catalog-csv.md).

The server does the work; the items reach this till (and every other) with the next sync."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.office.catalog_file import EXPORT, IMPORT, CatalogFiles, ImportPlan
from desktop.office.config_desk import Overview
from desktop.ui.backoffice.office_task import Host, reason_label
from desktop.ui.components.primitives import Button, Input, Size, ToastKind, Variant
from desktop.ui.components.tables import list_table
from desktop.ui.theme import space

ERROR_COLUMNS = ("Row", "Column", "Problem")
CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"


class CatalogFileTab(QWidget):
    def __init__(self, host: Host) -> None:
        super().__init__()
        self.host = host
        self.files = CatalogFiles(host.desk)
        self.plan: ImportPlan | None = None
        self._previewed: tuple[str, float, int] | None = None  # the file the plan is about
        self.setAccessibleName("Catalog file")

        # ------------------------------------------------ import
        self.path = Input("CSV file", placeholder="Choose a file…")
        self.path.edit.setAccessibleName("file to import")
        self.path.edit.textChanged.connect(self._file_changed)
        self.choose_button = Button("Choose file…", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.choose_button.clicked.connect(self.choose)
        self.preview_button = Button("Preview", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.preview_button.clicked.connect(self.preview)
        self.import_button = Button("Import", variant=Variant.PRIMARY, size=Size.TOUCH)
        self.import_button.clicked.connect(self.apply)
        self.working = QProgressBar()
        self.working.setRange(0, 0)  # the server does not say how far it is: it moves meanwhile
        self.working.setTextVisible(False)
        self.working.setAccessibleName("working")
        self.working.setVisible(False)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAccessibleName("what the import does")
        self.errors = list_table(ERROR_COLUMNS, "rows refused")
        self.errors.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.errors.setVisible(False)
        self.more = QLabel()
        self.more.setProperty("role", "helper")
        self.more.setVisible(False)

        pick = QHBoxLayout()
        pick.setSpacing(space("md"))
        pick.addWidget(self.path, 1)
        for button in (self.choose_button, self.preview_button, self.import_button):
            pick.addWidget(button, 0)
        importing = _card("Import items from a CSV file")
        box = importing.layout()
        assert isinstance(box, QVBoxLayout)
        how = QLabel("One row per item, keyed by SKU, in the columns of an export. Preview shows "
                     "what the file would change; Import writes all of it or nothing.")  # fmt: skip
        how.setProperty("role", "helper")
        how.setWordWrap(True)
        box.addWidget(how)
        box.addLayout(pick)
        box.addWidget(self.working)
        box.addWidget(self.result)
        box.addWidget(self.errors, 1)
        box.addWidget(self.more)

        # ------------------------------------------------ export
        self.export_button = Button("Export to file…", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.export_button.clicked.connect(self.export)
        self.exported = QLabel("<b>Export the catalog</b>: every item in the columns an import "
                               "reads, to edit in a spreadsheet and import back.")  # fmt: skip
        self.exported.setWordWrap(True)
        exporting = QFrame()
        exporting.setProperty("role", "card")
        row = QHBoxLayout(exporting)
        pad = space("md")
        row.setContentsMargins(pad, pad, pad, pad)
        row.addWidget(self.exported, 1)
        row.addWidget(self.export_button, 0)

        self.reason = reason_label()
        layout = QVBoxLayout(self)
        pad = space("md")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("md"))
        layout.addWidget(importing, 1)
        layout.addWidget(exporting)
        layout.addWidget(self.reason)
        host.runner.finished.connect(self._stopped)
        self.refresh_state()

    # ------------------------------------------------------------------ state
    def show_data(self, overview: Overview | None) -> None:
        if overview is None:
            self.show_plan(None)
        self.refresh_state()

    def refresh_state(self) -> None:
        reason = self.files.why_not(IMPORT)
        busy = self.working.isVisible()
        for widget in (self.path, self.choose_button, self.preview_button):
            widget.setEnabled(reason is None and not busy)
        self.import_button.setEnabled(reason is None and not busy and self._ready())
        self.export_button.setEnabled(self.files.why_not(EXPORT) is None and not busy)
        self.reason.setText(reason or "")
        self.reason.setVisible(reason is not None)

    def _ready(self) -> bool:
        """Import is offered after a preview of this very file that refused nothing."""
        plan = self.plan
        return (
            plan is not None
            and not plan.applied
            and plan.refused == 0
            and plan.writes > 0
            and self._previewed == _stamp(self.path.text())
        )

    def _file_changed(self) -> None:
        self.path.set_error(None)
        self.refresh_state()

    # ------------------------------------------------------------------ import
    def choose(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Catalog file to import", "", CSV_FILTER)
        if chosen:
            self.path.set_text(chosen)
            self.preview()

    def preview(self) -> None:
        path = self.path.text()
        stamp = _stamp(path)
        self._run(lambda: self.files.preview(path), lambda plan: self._previewed_plan(plan, stamp),
                  self.preview_button)  # fmt: skip

    def _previewed_plan(self, plan: ImportPlan, stamp: tuple[str, float, int] | None) -> None:
        self._previewed = stamp
        self.show_plan(plan)

    def apply(self) -> None:
        if not self._ready():
            return
        path = self.path.text()
        self._run(lambda: self.files.apply(path), self._applied, self.import_button)

    def _applied(self, plan: ImportPlan) -> None:
        self.show_plan(plan)
        if plan.applied:
            self.host.toast(f"Imported: {plan.summary()}. This till gets the items with its "
                            "next sync.", ToastKind.SUCCESS)  # fmt: skip
        else:  # changed on the server since the preview (e.g. a barcode taken meanwhile)
            self.host.toast("Nothing was imported: fix the rows listed and import again",
                            ToastKind.ERROR)  # fmt: skip

    def show_plan(self, plan: ImportPlan | None) -> None:
        self.plan = plan
        self.errors.setRowCount(0)
        if plan is None:
            self.result.setText("")
            self.errors.setVisible(False)
            self.more.setVisible(False)
            return
        if plan.applied:
            text = f"Imported: {plan.summary()}."
        elif plan.refused:
            text = (f"Nothing can be imported yet: {plan.summary()}. Fix these rows in the file "
                    "and preview it again.")  # fmt: skip
        elif plan.writes == 0:
            text = f"Nothing to import: {plan.summary()}. The catalog already holds this file."
        else:
            text = f"Importing this file will make {plan.summary()}. Nothing is written yet."
        self.result.setText(text)
        self.errors.setVisible(bool(plan.errors))
        for error in plan.errors:
            at = self.errors.rowCount()
            self.errors.insertRow(at)
            for column, value in enumerate((str(error.row), error.column, error.reason)):
                cell = QTableWidgetItem(value)
                cell.setToolTip(error.reason)  # a long reason is cut in the column: whole here
                self.errors.setItem(at, column, cell)
        hidden = plan.errors_total - len(plan.errors)
        self.more.setText(f"… and {hidden} more problems" if hidden > 0 else "")
        self.more.setVisible(hidden > 0)
        self.refresh_state()

    # ------------------------------------------------------------------ export
    def export(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Export the catalog", "catalog.csv",
                                                CSV_FILTER)  # fmt: skip
        if not chosen:
            return
        name = Path(chosen).name
        self._run(lambda: self.files.export(chosen), lambda count: self._exported(count, name),
                  self.export_button)  # fmt: skip

    def _exported(self, count: int, name: str) -> None:
        self.host.toast(f"Exported {count} item{'s' if count != 1 else ''} to {name}",
                        ToastKind.SUCCESS)  # fmt: skip

    # ------------------------------------------------------------------ running
    def _run(
        self, action: Callable[[], Any], on_done: Callable[[Any], None], button: Button
    ) -> None:
        self.working.setVisible(True)
        if not self.host.run(action, on_done, {"file": self.path}, button):
            self.working.setVisible(False)
        self.refresh_state()

    def _stopped(self) -> None:
        """Any call of the screen ended (done, or refused beside the file and in a toast)."""
        self.working.setVisible(False)
        self.refresh_state()


def _stamp(path: str) -> tuple[str, float, int] | None:
    """The file as previewed (name, modified, size): saved again since, it needs a new preview."""
    try:
        info = Path(path.strip()).stat()
    except OSError:
        return None
    return (path.strip(), info.st_mtime, info.st_size)


def _card(title: str) -> QFrame:
    card = QFrame()
    card.setProperty("role", "card")
    box = QVBoxLayout(card)
    pad = space("md")
    box.setContentsMargins(pad, pad, pad, pad)
    box.setSpacing(space("sm"))
    heading = QLabel(title)
    heading.setProperty("role", "title")
    box.addWidget(heading)
    return card
