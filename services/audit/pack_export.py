"""Evidence pack files: a Dutch PDF report, JSON, CSV and a signed manifest.

manifest.txt is a signed note (c2sp.org/signed-note) by the organisation's checkpoint
key, so `jobtrail-verify --pack DIR --vkey …` checks it offline::

    jobtrail-bewijsdossier/v1
    <origin of the audit log>
    checkpoint <tree size> <root, base64>
    sha256 <hex> bewijsdossier.pdf        one line per file, sorted by name
    …

keys.json (listed in the manifest like every file) holds the log's public keys with the
tree sizes each was valid for, as in an export, plus the TRANSITION checkpoints of its key
rotations (signed by the old and the new key): with them an auditor who holds a key from
before (or after) a rotation can follow it offline to the key that signed this pack.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from fpdf import FPDF

from services.audit.checkpoint import ROTATION, sign_note
from services.audit.signing import CheckpointSigner
from services.kernel.pdf_text import pdf_text as _latin1

MANIFEST_HEADER = "jobtrail-bewijsdossier/v1"
STATUS_LABEL = {
    "voldaan": "Voldaan",
    "risico": "Risico",
    "niet voldaan": "Niet voldaan",
    "geen gegevens": "Geen gegevens",
    "info": "Ter informatie",
}


def write_pack(
    pack: dict[str, Any],
    out: Path,
    signer: CheckpointSigner,
    progress: Callable[[int, int, str], None] = lambda done, total, message: None,
    checkpoints: Iterable[str] = (),
) -> list[str]:
    """Write every file of the pack into `out`; returns the file names. `checkpoints`:
    the log's signed checkpoint notes, of which keys.json keeps the key transitions."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "keys.json").write_text(
        json.dumps(keys_document(signer, checkpoints), indent=1), encoding="utf-8"
    )
    progress(1, 5, "JSON")
    (out / "bewijsdossier.json").write_text(
        json.dumps(pack, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    progress(2, 5, "CSV")
    (out / "bewijsdossier.csv").write_text(to_csv(pack), encoding="utf-8")
    progress(3, 5, "PDF")
    (out / "bewijsdossier.pdf").write_bytes(to_pdf(pack))
    progress(4, 5, "manifest")
    names = sorted(p.name for p in out.iterdir() if p.name != "manifest.txt")
    lines = [MANIFEST_HEADER, signer.origin]
    checkpoint = pack["checkpoint"]
    root = bytes.fromhex(checkpoint["root"]) if checkpoint["root"] else b"\0" * 32
    lines.append(f"checkpoint {checkpoint['tree_size']} {base64.b64encode(root).decode()}")
    for name in names:
        digest = hashlib.sha256((out / name).read_bytes()).hexdigest()
        lines.append(f"sha256 {digest} {name}")
    text = "".join(line + "\n" for line in lines)
    (out / "manifest.txt").write_text(
        sign_note(text, signer.private_key, signer.origin), encoding="utf-8"
    )
    if checkpoint["note"]:
        (out / "checkpoint.txt").write_text(checkpoint["note"], encoding="utf-8")
    progress(5, 5, "klaar")
    return [*names, "manifest.txt"]


def keys_document(signer: CheckpointSigner, checkpoints: Iterable[str]) -> dict[str, Any]:
    """The pack's keys.json. The key list is for reading; what the verifier trusts are the
    transition checkpoints, each signed by both of its keys."""
    transitions = [
        note for note in checkpoints
        if any(line.startswith(f"{ROTATION} ") for line in note.split("\n\n", 1)[0].splitlines())
    ]
    return {"keys": signer.keys(), "transitions": transitions}


def to_csv(pack: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            "keurmerk",
            "normen",
            "eis",
            "status eis",
            "cijfer",
            "waarde",
            "status",
            "doel",
            "bron",
            "bevinding",
        ]
    )
    for req in pack["requirements"]:
        for fig in req["figures"]:
            writer.writerow(
                [
                    pack["mark_name"],
                    " ".join(req["norms"]),
                    req["title"],
                    req["status"],
                    fig["label"],
                    "" if fig["value"] is None else fig["value"],
                    fig["status"],
                    fig["target"],
                    fig["source"],
                    fig["finding"],
                ]
            )
    return buffer.getvalue()


def to_pdf(pack: dict[str, Any]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(_latin1(f"Bewijsdossier {pack['mark_name']}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(
        0, 9, _latin1(f"Bewijsdossier {pack['mark_name']}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", "", 10)
    period = pack["period"]
    checkpoint = pack["checkpoint"]
    for line in (
        f"Organisatie: {pack['organisation']['name']}",
        f"Meetperiode: {period['start']} t/m {period['end']}",
        f"Normenkader: versie {pack['mapping_version']}",
        f"Auditlog: checkpoint van {checkpoint['tree_size']} gebeurtenissen, "
        f"root {checkpoint['root'] or '-'}",
    ):
        pdf.multi_cell(0, 6, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Overzicht per norm", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    status = {r["id"]: r["status"] for r in pack["requirements"]}
    titles = {r["id"]: r["title"] for r in pack["requirements"]}
    for norm in pack["norms"]:
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(
            0, 6, _latin1(f"{norm['id']} {norm['title']}"), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("Helvetica", "", 10)
        for req in norm["requirements"]:
            text = f"   {titles.get(req, req)}: {STATUS_LABEL.get(status.get(req, ''), '-')}"
            pdf.multi_cell(0, 5, _latin1(text), new_x="LMARGIN", new_y="NEXT")
    for req in pack["requirements"]:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(
            0,
            7,
            _latin1(f"{req['title']} ({STATUS_LABEL[req['status']]})"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("Helvetica", "I", 9)
        pdf.multi_cell(0, 5, _latin1(req["description"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for fig in req["figures"]:
            value = "geen gegevens" if fig["value"] is None else fig["value"]
            line = f"- {fig['label']}: {value} [{STATUS_LABEL[fig['status']]}]"
            if fig["target"]:
                line += f" (norm: {fig['target']})"
            pdf.multi_cell(0, 5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
            if fig["finding"]:
                pdf.multi_cell(
                    0, 5, _latin1(f"    Bevinding: {fig['finding']}"), new_x="LMARGIN", new_y="NEXT"
                )
        if req["events"]:
            pdf.set_font("Helvetica", "", 8)
            pdf.multi_cell(
                0,
                4,
                _latin1(
                    "Onderliggende gebeurtenissen (bladnummer in het auditlog; inclusiebewijs in "
                    "bewijsdossier.json): " + ", ".join(str(e["leaf_index"]) for e in req["events"])
                ),
                new_x="LMARGIN",
                new_y="NEXT",
            )
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(
        0,
        4,
        _latin1(
            "Controle: jobtrail-verify --pack <map> --vkey <sleutel> controleert de handtekening "
            "van manifest.txt, de hash van ieder bestand en ieder inclusiebewijs tegen het "
            "checkpoint. Cliënten staan in dit dossier alleen als pseudoniem of id."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
