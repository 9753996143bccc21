"""The maturity self-check (KI-Reifegrad): the matrix from config/maturity.yaml and how it is scored."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from bot.domain.catalog_files import (
    CatalogError,
    Localized,
    read_yaml,
    require_list,
    require_localized,
    require_text,
    require_unique,
)
from bot.domain.errors import UserError
from config import CONFIG_DIR

LEVELS = (1, 2, 3)


@dataclass(frozen=True)
class Dimension:
    key: str
    name: Localized
    levels: tuple[Localized, Localized, Localized]


@dataclass(frozen=True)
class MaturityMatrix:
    dimensions: tuple[Dimension, ...]
    recommended_tracks: dict[int, str]
    reassess_after_days: int

    def score(self, answers: dict[str, int]) -> Score:
        """Levels per dimension → overall level and recommended track. Incomplete answers are refused."""
        missing = [d.key for d in self.dimensions if answers.get(d.key) not in LEVELS]
        if missing:
            raise UserError("check.error.incomplete", missing=missing)
        levels = {d.key: int(answers[d.key]) for d in self.dimensions}
        mean = Decimal(sum(levels.values())) / len(levels)
        overall = int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return Score(levels=levels, overall=overall, track=self.recommended_tracks[overall])


@dataclass(frozen=True)
class Score:
    levels: dict[str, int]
    overall: int
    track: str


def load_maturity_matrix(path: Path = CONFIG_DIR / "maturity.yaml") -> MaturityMatrix:
    data = read_yaml(path)
    dimensions = []
    for index, entry in enumerate(require_list(path, data, "dimensions")):
        where = f"dimensions[{index}]"
        levels = require_list(path, entry, "levels")
        if len(levels) != len(LEVELS):
            raise CatalogError(f"{path}: {where}.levels must list exactly {len(LEVELS)} levels")
        texts = [
            require_localized(path, {"text": level}, "text", f"{where}.levels[{n}]") for n, level in enumerate(levels)
        ]
        dimensions.append(
            Dimension(
                key=require_text(path, entry, "key", where),
                name=require_localized(path, entry, "name", where),
                levels=(texts[0], texts[1], texts[2]),
            )
        )
    require_unique(path, [d.key for d in dimensions], "dimension keys")
    tracks = data.get("recommended_tracks")
    if not isinstance(tracks, dict) or sorted(int(k) for k in tracks) != list(LEVELS):
        raise CatalogError(f"{path}: field 'recommended_tracks' must name a track for levels 1, 2 and 3")
    days = data.get("reassess_after_days", 90)
    if not isinstance(days, int) or days < 1:
        raise CatalogError(f"{path}: field 'reassess_after_days' must be a positive number of days")
    return MaturityMatrix(tuple(dimensions), {int(k): str(v) for k, v in tracks.items()}, days)
