"""Reads what a fashion-trainer run directory holds, for the notebooks next to this file.

A run directory (written by `submit/local.sh --output DIR`) contains metrics.json (one object per epoch),
evaluation.json (final per-class metrics and confusion matrix), predictions.csv (the final model's prediction for
every test image), run.json (settings, data directory, versions) and _SUCCESS.
"""
import gzip
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

# Where runs land by default: runs/<timestamp>/ in the repository (the notebooks run from notebooks/).
RUNS_DIRECTORY = Path(__file__).resolve().parent.parent / "runs"


def finished_runs(parent=RUNS_DIRECTORY):
    """Run directories under `parent` that finished (have _SUCCESS), oldest first."""
    return sorted(p.parent for p in Path(parent).glob("*/_SUCCESS"))


def run_dirs_from_env(variable, default_count):
    """The run directories named in environment variable `variable` (comma-separated), else the newest finished ones."""
    value = os.environ.get(variable, "").strip()
    if value:
        return [Path(p.strip()) for p in value.split(",") if p.strip()]
    runs = finished_runs()
    if not runs:
        raise FileNotFoundError(f"no finished run under {RUNS_DIRECTORY}: train one with submit/local.sh, "
                                f"or set {variable} to a run directory")
    return runs[-default_count:]


def local_path(location):
    """A path this process can open, from a location Hadoop wrote into run.json (file:/x, file:///x or /x)."""
    if location.startswith("file://"):
        return Path(location[len("file://"):])
    if location.startswith("file:"):
        return Path(location[len("file:"):])
    if "://" in location:
        raise ValueError(f"{location}: only local paths can be read here; copy the run or the data locally")
    return Path(location)


class Run:
    """One run directory, read whole."""

    def __init__(self, directory):
        self.directory = Path(directory)
        if not (self.directory / "_SUCCESS").exists():
            raise FileNotFoundError(f"{self.directory}: expected a finished run directory (with _SUCCESS), "
                                    f"found {sorted(p.name for p in self.directory.glob('*')) or 'nothing'}")
        self.manifest = json.loads((self.directory / "run.json").read_text())
        self.settings = self.manifest["settings"]
        self.metrics = pd.DataFrame(json.loads((self.directory / "metrics.json").read_text())).set_index("epoch")
        self.evaluation = json.loads((self.directory / "evaluation.json").read_text())
        self.predictions = pd.read_csv(self.directory / "predictions.csv")
        # The trainer writes the class names into evaluation.json: the one list, kept in the trainer's code.
        self.class_names = [c["name"] for c in sorted(self.evaluation["classes"], key=lambda c: c["label"])]

    @property
    def name(self):
        return f"{self.settings['workers']} worker{'s' if self.settings['workers'] != 1 else ''} ({self.directory.name})"

    def confusion(self):
        """The confusion matrix as a DataFrame, rows the true class, columns the predicted one."""
        return pd.DataFrame(self.evaluation["confusion_matrix"], index=self.class_names,
                            columns=self.class_names)

    def test_images(self):
        """The test images the predictions refer to, as uint8 arrays of shape (n, 28, 28)."""
        data = local_path(self.manifest["data"]["directory"])
        for name in ("t10k-images-idx3-ubyte", "t10k-images-idx3-ubyte.gz"):
            if (data / name).exists():
                return read_idx_images(data / name)
        raise FileNotFoundError(f"{data}: expected t10k-images-idx3-ubyte[.gz] (the run's data directory)")


def read_idx_images(path):
    """An IDX images file (gzipped or plain) as uint8 array of shape (count, rows, columns)."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    magic, count, rows, columns = np.frombuffer(raw[:16], dtype=">u4")
    if magic != 0x803:
        raise ValueError(f"{path}: expected IDX magic 0x00000803 (images), found {magic:#010x}")
    return np.frombuffer(raw[16:], dtype=np.uint8).reshape(count, rows, columns)


def save_figure(figure, name):
    """Writes `figure` as FIGURES_DIR/name.png when FIGURES_DIR is set (how docs/ gets its pictures)."""
    target = os.environ.get("FIGURES_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        figure.savefig(Path(target) / f"{name}.png", dpi=110, bbox_inches="tight")
