"""Learning tracks, their modules and the career-stage rule, from config/curriculum.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bot.domain import catalog_files
from bot.domain.errors import UserError
from config import CONFIG_DIR

REQUIREMENTS = (
    "min_overall_level",
    "min_completed_modules",
    "min_tips",
    "min_logs",
    "min_rolled_out_use_cases",
    "min_active_mentees",
)


# What completes a module by itself, besides marking it done: `done_when: {coached_prompts: 3}`.
COMPLETION_CRITERIA = ("coached_prompts",)


@dataclass(frozen=True)
class Module:
    key: str
    title: catalog_files.Localized
    # Done by itself once the prompt coach has answered this many of the person's prompts.
    coached_prompts: int | None = None


@dataclass(frozen=True)
class Track:
    key: str
    name: catalog_files.Localized
    modules: tuple[Module, ...]

    def find_module(self, name: str, language: str) -> Module:
        """The module named by its title (in any language, any case), by the start of exactly one title,
        or by its key; anything else is refused with the track's modules listed."""
        wanted = _folded(name)
        names = {module.key: {module.key.casefold(), *map(_folded, module.title.values())} for module in self.modules}
        exact = [module for module in self.modules if wanted in names[module.key]]
        if exact:
            return exact[0]
        starting = [m for m in self.modules if wanted and any(n.startswith(wanted) for n in names[m.key])]
        if len(starting) == 1:
            return starting[0]
        key = "path.error.ambiguous_module" if starting else "path.error.module_not_found"
        titles = [module.title.in_(language) for module in starting or self.modules]
        raise UserError(key, word=name.strip()[:60], modules=titles)


class Figures(Protocol):
    """What the career rule asks of a person's activity: one figure per requirement."""

    def value(self, requirement: str) -> int: ...


class Activity(dict[str, int]):
    """A person's figures known in advance, by requirement without `min_` (`Activity(tips=3)`); a figure not
    given is 0. The services count figures on demand instead; this is for checking a curriculum's rule."""

    def value(self, requirement: str) -> int:
        return self.get(requirement.removeprefix("min_"), 0)


@dataclass(frozen=True)
class Requirements:
    minimums: dict[str, int] = field(default_factory=dict)
    any_of: tuple[Requirements, ...] = ()

    def figures(self) -> frozenset[str]:
        """The figures these requirements ask for (`tips` for `min_tips`), options included."""
        own = frozenset(name.removeprefix("min_") for name in self.minimums)
        return own.union(*(option.figures() for option in self.any_of))

    def hold_for(self, activity: Figures) -> bool:
        """Stops at the first requirement that does not hold: figures read on demand are read only as far
        as the answer needs."""
        if any(activity.value(name) < minimum for name, minimum in self.minimums.items()):
            return False
        return not self.any_of or any(option.hold_for(activity) for option in self.any_of)


@dataclass(frozen=True)
class CareerStage:
    key: str
    name: catalog_files.Localized
    description: catalog_files.Localized
    requires: Requirements


@dataclass(frozen=True)
class Curriculum:
    tracks: tuple[Track, ...]
    stages: tuple[CareerStage, ...]

    def track(self, key: str | None) -> Track | None:
        return next((track for track in self.tracks if track.key == key), None)

    def module(self, key: str) -> tuple[Track, Module] | None:
        for track in self.tracks:
            for module in track.modules:
                if module.key == key:
                    return track, module
        return None

    def stage(self, key: str | None) -> CareerStage | None:
        return next((stage for stage in self.stages if stage.key == key), None)

    def asks_for(self, figure: str) -> bool:
        """Whether any stage's rule asks for `figure` (`logs`, `tips` …): a change of a figure no rule asks
        for cannot change anyone's stage."""
        return any(figure in stage.requires.figures() for stage in self.stages)

    def stage_for(self, activity: Figures) -> CareerStage:
        """The highest stage whose requirements hold; the first stage always counts."""
        reached = self.stages[0]
        for stage in self.stages[1:]:
            if stage.requires.hold_for(activity):
                reached = stage
        return reached

    def rank(self, stage_key: str | None) -> int:
        keys = [stage.key for stage in self.stages]
        return keys.index(stage_key) if stage_key in keys else -1


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _requirements(path: Path, raw: Any, where: str) -> Requirements:
    if raw is None:
        return Requirements()
    if not isinstance(raw, dict):
        raise catalog_files.CatalogError(f"{path}: {where} must be a mapping of requirements")
    minimums: dict[str, int] = {}
    options: list[Requirements] = []
    for name, value in raw.items():
        if name == "any_of":
            if not isinstance(value, list) or not value:
                raise catalog_files.CatalogError(f"{path}: {where}.any_of must be a non-empty list")
            options += [_requirements(path, option, f"{where}.any_of[{n}]") for n, option in enumerate(value)]
        elif name in REQUIREMENTS:
            if not isinstance(value, int) or value < 0:
                raise catalog_files.CatalogError(f"{path}: {where}.{name} must be a whole number ≥ 0")
            minimums[name] = value
        else:
            raise catalog_files.CatalogError(
                f"{path}: {where} has unknown requirement '{name}' (known: {', '.join(REQUIREMENTS)})"
            )
    return Requirements(minimums, tuple(options))


def _coached_prompts(path: Path, raw: Any, where: str) -> int | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - set(COMPLETION_CRITERIA):
        raise catalog_files.CatalogError(f"{path}: {where}.done_when knows only {', '.join(COMPLETION_CRITERIA)}")
    value = raw.get("coached_prompts")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise catalog_files.CatalogError(f"{path}: {where}.done_when.coached_prompts must be a whole number ≥ 1")
    return value


def load_curriculum(path: Path = CONFIG_DIR / "curriculum.yaml") -> Curriculum:
    data = catalog_files.read_yaml(path)
    tracks = []
    for t_index, entry in enumerate(catalog_files.require_list(path, data, "tracks")):
        where = f"tracks[{t_index}]"
        modules = tuple(
            Module(
                key=catalog_files.require_text(path, module, "key", f"{where}.modules[{m_index}]"),
                title=catalog_files.require_localized(path, module, "title", f"{where}.modules[{m_index}]"),
                coached_prompts=_coached_prompts(path, module.get("done_when"), f"{where}.modules[{m_index}]"),
            )
            for m_index, module in enumerate(catalog_files.require_list(path, entry, "modules"))
        )
        tracks.append(
            Track(
                catalog_files.require_text(path, entry, "key", where),
                catalog_files.require_localized(path, entry, "name", where),
                modules,
            )
        )
    catalog_files.require_unique(path, [t.key for t in tracks], "track keys")
    catalog_files.require_unique(path, [m.key for t in tracks for m in t.modules], "module keys")
    stages = []
    for index, entry in enumerate(catalog_files.require_list(path, data, "career_stages")):
        where = f"career_stages[{index}]"
        stages.append(
            CareerStage(
                key=catalog_files.require_text(path, entry, "key", where),
                name=catalog_files.require_localized(path, entry, "name", where),
                description=catalog_files.require_localized(path, entry, "description", where),
                requires=_requirements(path, entry.get("requires"), f"{where}.requires"),
            )
        )
    catalog_files.require_unique(path, [s.key for s in stages], "career stage keys")
    return Curriculum(tuple(tracks), tuple(stages))
