"""The card that shows one LookupResult: every Taxpayer field, badges, "Apto para facturar", copy buttons.

Two parts: ``headline`` (razón social, estado, condición, apto, the actions and where the answer came from)
and the card itself (every field). A page may lay the headline out apart — Consulta keeps it above its
scrolling area so it is always visible; by default it sits at the top of the card.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.models import LookupResult, Person, ResultSource, Taxpayer
from ..base.theme import colors
from ..base.tr import QT_TR_NOOP
from .badge import StateBadge
from .copy_button import CopyButton

__all__ = ["ResultCard", "result_as_text"]

# (field, Spanish label) in display order; the address parts follow the full address.
TAXPAYER_FIELDS: list[tuple[str, str]] = [
    ("ruc", QT_TR_NOOP("RUC")),
    ("direccion", QT_TR_NOOP("Dirección")),
    ("direccion_simple", QT_TR_NOOP("Dirección simple")),
    ("departamento", QT_TR_NOOP("Departamento")),
    ("provincia", QT_TR_NOOP("Provincia")),
    ("distrito", QT_TR_NOOP("Distrito")),
    ("ubigeo", QT_TR_NOOP("Ubigeo")),
    ("tipo_de_via", QT_TR_NOOP("Tipo de vía")),
    ("nombre_de_via", QT_TR_NOOP("Nombre de vía")),
    ("numero", QT_TR_NOOP("Número")),
    ("interior", QT_TR_NOOP("Interior")),
    ("dpto", QT_TR_NOOP("Departamento (dpto.)")),
    ("manzana", QT_TR_NOOP("Manzana")),
    ("lote", QT_TR_NOOP("Lote")),
    ("kilometro", QT_TR_NOOP("Kilómetro")),
    ("codigo_de_zona", QT_TR_NOOP("Código de zona")),
    ("tipo_de_zona", QT_TR_NOOP("Tipo de zona")),
]
# Always shown for a RUC; the other address parts only when SUNAT has a value for them.
CORE_FIELDS = {"ruc", "direccion", "departamento", "provincia", "distrito", "ubigeo", "actualizado_en"}
COPYABLE = {"ruc": QT_TR_NOOP("el RUC"), "direccion": QT_TR_NOOP("la dirección")}


def _when(value: datetime | None) -> str:
    return f"{value:%d/%m/%Y %H:%M}" if value else "—"


def result_as_text(result: LookupResult) -> str:
    """Every field as 'Etiqueta: valor' lines (what "Copiar todo" puts on the clipboard)."""
    t = result.taxpayer
    if t is not None:
        lines = [f"Razón social: {t.razon_social}", f"Estado: {t.estado}", f"Condición: {t.condicion}"]
        lines.append(f"Apto para facturar: {'Sí' if t.apto_para_facturar else 'No'}")
        lines += [f"{label}: {getattr(t, name)}" for name, label in TAXPAYER_FIELDS if getattr(t, name)]
        lines.append(f"Actualizado en SUNAT: {_when(t.actualizado_en)}")
        return "\n".join(lines) + "\n"
    p = result.person
    if p is not None:
        return f"DNI: {p.dni}\nNombre: {p.nombre}\n"
    return f"{result.number}: {result.status.label}\n"


class ResultCard(QFrame):
    representativesRequested = Signal(str)
    copied = Signal(str)
    refreshRequested = Signal(str)  # «Consultar de nuevo»: the number, to ask Migo again (not the cache)
    rucRequested = Signal(str)  # a DNI's RUC 10, to look it up

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.result: LookupResult | None = None
        self.demo = False
        self._apto: bool | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 16, 18, 16)
        outer.setSpacing(10)

        self.headline = QFrame(self)
        self.headline.setObjectName("headline")
        top = QVBoxLayout(self.headline)
        top.setContentsMargins(18, 12, 18, 12)
        top.setSpacing(8)
        head = QHBoxLayout()
        self.title = QLabel(self.headline)
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_name = CopyButton(lambda: self._name(), self.tr("la razón social"), self.headline)
        head.addWidget(self.title, 1)
        head.addWidget(self.copy_name, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(head)

        badges = QHBoxLayout()
        self.estado_label = QLabel(self.tr("Estado"), self.headline)
        self.estado_label.setObjectName("fieldLabel")
        self.estado = StateBadge(self.headline)
        self.condicion_label = QLabel(self.tr("Condición"), self.headline)
        self.condicion_label.setObjectName("fieldLabel")
        self.condicion = StateBadge(self.headline)
        self.apto = QLabel(self.headline)
        self.apto.setAccessibleName(self.tr("Apto para facturar"))
        for w in (self.estado_label, self.estado, self.condicion_label, self.condicion):
            badges.addWidget(w)
        badges.addStretch(1)
        badges.addWidget(self.apto)
        top.addLayout(badges)

        actions = QHBoxLayout()
        self.copy_all = QPushButton(self.tr("Copiar todo"), self.headline)
        self.copy_all.setAccessibleName(self.tr("Copiar todos los datos"))
        self.copy_all.clicked.connect(self._copy_all)
        self.reps_button = QPushButton(self.tr("Ver representantes legales"), self.headline)
        self.reps_button.clicked.connect(self._ask_reps)
        self.refresh_button = QPushButton(self.tr("Consultar de nuevo"), self.headline)
        self.refresh_button.setToolTip(
            self.tr("Pregunta otra vez a Migo en lugar de usar la respuesta guardada (se cobra la consulta).")
        )
        self.refresh_button.clicked.connect(self._ask_refresh)
        self.ruc_button = QPushButton(self.headline)
        self.ruc_button.clicked.connect(self._ask_ruc)
        for b in (self.copy_all, self.reps_button, self.ruc_button, self.refresh_button):
            actions.addWidget(b)
        actions.addStretch(1)
        top.addLayout(actions)
        self.note = QLabel(self.headline)
        self.note.setObjectName("muted")
        top.addWidget(self.note)
        outer.addWidget(self.headline)

        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setHorizontalSpacing(14)
        self.values: dict[str, QLabel] = {}
        self._rows: dict[str, QWidget] = {}
        for name, label in [
            *TAXPAYER_FIELDS,
            ("actualizado_en", QT_TR_NOOP("Actualizado en SUNAT")),
            ("nombre", QT_TR_NOOP("Nombre")),
        ]:
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(self.tr(label))
            field: QWidget = value
            if name in COPYABLE:
                field = QWidget(self)
                row = QHBoxLayout(field)
                row.setContentsMargins(0, 0, 0, 0)
                row.addWidget(value, 1)
                row.addWidget(CopyButton(partial(self._field, name), self.tr(COPYABLE[name]), field))
            caption = QLabel(self.tr(label), self)
            caption.setObjectName("fieldLabel")
            self.form.addRow(caption, field)
            self.values[name] = value
            self._rows[name] = field
        outer.addLayout(self.form)
        self.hide_result()

    # filling ---------------------------------------------------------------------------------------------
    def hide_result(self) -> None:
        self.headline.setVisible(False)
        self.setVisible(False)

    def show_result(self, result: LookupResult, *, demo: bool = False) -> None:
        """``demo``: the answer is simulated (demo mode) and the note says so, not «Consultado en Migo»."""
        self.result = result
        self.demo = demo
        t, p = result.taxpayer, result.person
        is_ruc = t is not None
        for name, value in self.values.items():
            if is_ruc and name != "nombre":
                raw = getattr(t, name)
                value.setText(_when(raw) if name == "actualizado_en" else (raw or "—"))
            elif p is not None and name == "nombre":
                value.setText(p.nombre or "—")
            else:
                value.setText("")
            show = is_ruc and name != "nombre" and (name in CORE_FIELDS or bool(getattr(t, name)))
            show = show or (p is not None and name == "nombre")
            self.form.setRowVisible(self._rows[name], show)
        for w in (
            self.estado_label,
            self.estado,
            self.condicion_label,
            self.condicion,
            self.apto,
            self.reps_button,
        ):
            w.setVisible(is_ruc)
        if isinstance(t, Taxpayer):
            self.title.setText(t.razon_social or t.ruc)
            self.estado.set_state(t.estado)
            self.condicion.set_state(t.condicion)
            self._set_apto(t.apto_para_facturar)
        elif isinstance(p, Person):
            self.title.setText(f"{p.nombre or '—'}  ·  DNI {p.dni}")
        self.reps_button.setEnabled(True)
        self.refresh_button.setVisible(result.from_cache)
        ruc = self.derived_ruc()
        self.ruc_button.setVisible(ruc is not None)
        if ruc is not None:
            self.ruc_button.setText(self.tr("Consultar su RUC {0}").format(ruc))
            self.ruc_button.setToolTip(
                self.tr(
                    "El RUC de persona natural que corresponde a este DNI (10 + DNI + dígito verificador)."
                )
            )
        self.note.setText(self.source_text(result, demo))
        self.headline.setVisible(True)
        self.setVisible(True)

    def source_text(self, result: LookupResult, demo: bool) -> str:
        if result.source is ResultSource.PADRON:  # answered offline by the SUNAT register
            return self.tr("{0} · gratis, sin conexión").format(result.source_label)
        when = _when(result.fetched_at)
        if result.from_cache:
            return self.tr("Desde caché · consultado el {0}").format(when)
        if demo:
            return self.tr("Datos simulados del modo demostración · {0}").format(when)
        return self.tr("Consultado ahora en Migo · {0}").format(when)

    def derived_ruc(self) -> str | None:
        """For a DNI record: the RUC 10 that a natural person with that DNI would have."""
        p = self.result.person if self.result else None
        if p is None or not p.dni:
            return None
        from ...core.ids import ruc_from_dni  # python-stdnum: not needed at start-up

        try:
            return ruc_from_dni(p.dni)
        except Exception:  # noqa: BLE001 - stdnum rejects a malformed DNI: simply offer nothing
            return None

    def _set_apto(self, apto: bool) -> None:
        self._apto = apto
        colour = colors()["good" if apto else "bad"]
        answer = self.tr("Sí") if apto else self.tr("No")
        self.apto.setText(self.tr("Apto para facturar: {0}").format(answer))
        self.apto.setStyleSheet(f"QLabel {{ font-size: 14pt; font-weight: 700; color: {colour}; }}")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange and self._apto is not None:
            colour = colors()["good" if self._apto else "bad"]
            if colour not in self.apto.styleSheet():
                self._set_apto(self._apto)
        super().changeEvent(event)

    # helpers -------------------------------------------------------------------------------------------
    def _name(self) -> str:
        if self.result is None:
            return ""
        t, p = self.result.taxpayer, self.result.person
        return t.razon_social if t else (p.nombre if p else "")

    def _field(self, name: str) -> str:
        t = self.result.taxpayer if self.result else None
        return getattr(t, name) if t is not None else ""

    def _copy_all(self) -> None:
        if self.result is not None:
            text = result_as_text(self.result)
            self.copy_all.setProperty("copied", text)
            from PySide6.QtGui import QGuiApplication

            QGuiApplication.clipboard().setText(text)
            self.copied.emit(text)

    def _ask_refresh(self) -> None:
        if self.result is not None:
            self.refreshRequested.emit(self.result.number)

    def _ask_ruc(self) -> None:
        ruc = self.derived_ruc()
        if ruc is not None:
            self.rucRequested.emit(ruc)

    def _ask_reps(self) -> None:
        t = self.result.taxpayer if self.result else None
        if t is not None:
            self.reps_button.setEnabled(False)
            self.representativesRequested.emit(t.ruc)
