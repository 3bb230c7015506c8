"""The export dialog shared by Masiva and Historial: which kind («Mi archivo con columnas nuevas» first, then
«Tabla de resultados»), only the filtered rows or all, and where (the source's folder by default)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..base.settings_store import Preferences

__all__ = ["ExportChoice", "ExportDialog", "ask_export"]

OWN, TABLE = "libro", "tabla"  # core.jobs.ExportKind values


@dataclass(frozen=True, slots=True)
class ExportChoice:
    path: Path
    kind: str  # "libro" | "tabla"
    only_filtered: bool = False


class ExportDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        prefs: Preferences,
        source: str | Path | None,
        *,
        filtered: int | None = None,
        total: int = 0,
    ) -> None:
        super().__init__(parent)
        self.prefs = prefs
        self.source = Path(source) if source else None
        self.setWindowTitle(self.tr("Exportar resultados"))
        has_source = self.source is not None and self.source.is_file()
        macro = self.source is not None and self.source.suffix.lower() == ".xlsm"

        self.own = QRadioButton(self.tr("Mi archivo con columnas nuevas"), self)
        own_help = QLabel(
            self.tr(
                "Tu mismo archivo, con los resultados en columnas nuevas a la derecha de cada fila. "
                "Todo lo demás queda igual: otras hojas, fórmulas, formatos, gráficos."
            )
            if has_source
            else self.tr("No se encuentra el archivo original en su carpeta: solo puedes exportar la tabla."),
            self,
        )
        self.table = QRadioButton(self.tr("Tabla de resultados"), self)
        table_help = QLabel(
            self.tr("Un libro nuevo con las hojas Resultados, Resumen y Requieren atención (o un CSV)."), self
        )
        for label in (own_help, table_help):
            label.setWordWrap(True)
            label.setIndent(24)
        self.kinds = QButtonGroup(self)
        self.kinds.addButton(self.own)
        self.kinds.addButton(self.table)
        self.own.setEnabled(has_source)
        (self.own if has_source else self.table).setChecked(True)

        self.only_filtered = QCheckBox(self)
        if filtered is not None:
            self.only_filtered.setText(self.tr("Solo las filas filtradas (%s de %s)") % (filtered, total))
        self.only_filtered.setVisible(filtered is not None)

        self.path_edit = QLineEdit(self)
        self.path_edit.setAccessibleName(self.tr("Archivo de destino"))
        browse = QPushButton(self.tr("Cambiar…"), self)
        browse.clicked.connect(self._browse)
        folder = self.source.parent if has_source and self.source else Path(prefs.last_folder("export"))
        stem = self.source.stem if self.source else "resultados"
        self._macro = macro
        self.path_edit.setText(str(folder / f"{stem}_resultados{self._suffix()}"))
        self.kinds.buttonToggled.connect(lambda *_: self._fix_suffix())

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Exportar"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancelar"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)

        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(browse)
        layout = QVBoxLayout(self)
        for w in (self.own, own_help, self.table, table_help, self.only_filtered):
            layout.addWidget(w)
        layout.addSpacing(8)
        layout.addWidget(QLabel(self.tr("Guardar en:"), self))
        layout.addLayout(where)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _suffix(self) -> str:
        return ".xlsm" if self._macro and self.own.isChecked() else ".xlsx"

    def _fix_suffix(self) -> None:
        path = Path(self.path_edit.text())
        if path.suffix.lower() in (".xlsx", ".xlsm") or (
            self.own.isChecked() and path.suffix.lower() == ".csv"
        ):
            self.path_edit.setText(str(path.with_suffix(self._suffix())))

    def _browse(self) -> None:
        if self.own.isChecked():
            filters = self.tr("Libro de Excel (*%s)") % self._suffix()
        else:
            filters = self.tr("Libro de Excel (*.xlsx);;CSV (*.csv)")
        path, chosen = QFileDialog.getSaveFileName(
            self, self.tr("Exportar resultados"), self.path_edit.text(), filters
        )
        if path:
            target = Path(path)
            if not target.suffix:
                target = target.with_suffix(".csv" if "csv" in chosen.lower() else self._suffix())
            self.path_edit.setText(str(target))

    def choice(self) -> ExportChoice | None:
        text = self.path_edit.text().strip()
        if not text:
            return None
        kind = OWN if self.own.isChecked() else TABLE
        only = not self.only_filtered.isHidden() and self.only_filtered.isChecked()
        return ExportChoice(Path(text), kind, only)

    def _accept(self) -> None:
        choice = self.choice()
        if choice is None:
            self.path_edit.setFocus()
            return
        self.prefs.set_last_folder("export", choice.path)
        self.accept()


def ask_export(
    parent: QWidget | None, prefs: Preferences, source: str | Path | None, *, filtered: int | None = None,
    total: int = 0,
) -> ExportChoice | None:  # fmt: skip
    """Show the export dialog; the choice, or None when cancelled."""
    dialog = ExportDialog(parent, prefs, source, filtered=filtered, total=total)
    try:
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
