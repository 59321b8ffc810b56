"""The actor registry: canonical actor codes, their names, types and aliases."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from standoff.core.errors import StandoffError
from standoff.core.yamlio import load_yaml

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$")
ACTOR_TYPES = ("STATE", "GOV", "MIL", "REB", "PER", "CVL", "IGO", "NGO", "MED", "OTHER")


@dataclass(frozen=True)
class Actor:
    code: str
    name: str
    type: str
    country: str | None = None
    affiliation: str | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)


class ActorRegistry:
    """Codes -> actors, and aliases -> codes (case-insensitive) for normalization."""

    def __init__(self, actors: dict[str, Actor]) -> None:
        self.actors = actors
        self._alias_to_code: dict[str, str] = {}
        for actor in actors.values():
            for alias in (actor.name, *actor.aliases):
                self._alias_to_code.setdefault(alias.casefold(), actor.code)

    def add(self, actor: Actor) -> None:
        """Register a new actor (for example a candidate found by an importer or a model)."""
        self.actors[actor.code] = actor
        for alias in (actor.name, *actor.aliases):
            self._alias_to_code.setdefault(alias.casefold(), actor.code)

    def __contains__(self, code: object) -> bool:
        return code in self.actors

    def __len__(self) -> int:
        return len(self.actors)

    def normalize(self, mention: str) -> str | None:
        """The code an alias resolves to, or None when the mention is not in the registry."""
        return self._alias_to_code.get(mention.strip().casefold())

    def aliases(self) -> dict[str, str]:
        return dict(self._alias_to_code)

    @classmethod
    def load(cls, path: Path) -> ActorRegistry:
        """Load `actors.yaml`, merged with `actors.d/*.yaml` beside it when present."""
        path = Path(path)
        actors = cls._load_file(path)
        extra_dir = path.with_suffix(".d")
        for extra in sorted(extra_dir.glob("*.yaml")) if extra_dir.is_dir() else []:
            for code, actor in cls._load_file(extra).items():
                if code in actors:
                    raise StandoffError(f"actor code {code!r} is defined twice", file=str(extra),
                                        record=code, hint="keep one definition")
                actors[code] = actor
        for actor in actors.values():
            if actor.affiliation and actor.affiliation not in actors:
                raise StandoffError(f"affiliation {actor.affiliation!r} is not a known code",
                                    file=str(path), record=actor.code, field="affiliation")
        return cls(actors)

    @staticmethod
    def _load_file(path: Path) -> dict[str, Actor]:
        data = load_yaml(path)
        if not isinstance(data, dict) or not isinstance(data.get("actors"), dict):
            raise StandoffError("expected a mapping with key 'actors: {CODE: {...}}'",
                                file=str(path))
        actors: dict[str, Actor] = {}
        for code, entry in data["actors"].items():
            if not CODE_PATTERN.match(str(code)):
                raise StandoffError(
                    f"actor code {code!r} is not upper-case letters/digits joined by '-'",
                    file=str(path), record=str(code),
                )
            entry = entry or {}
            if not isinstance(entry, dict) or "name" not in entry:
                raise StandoffError("each actor needs at least a 'name'", file=str(path),
                                    record=str(code))
            kind = entry.get("type", "OTHER")
            if kind not in ACTOR_TYPES:
                raise StandoffError(f"unknown actor type {kind!r}", file=str(path),
                                    record=str(code), field="type",
                                    hint=f"use one of {', '.join(ACTOR_TYPES)}")
            actors[code] = Actor(
                code=code, name=entry["name"], type=kind, country=entry.get("country"),
                affiliation=entry.get("affiliation"),
                aliases=tuple(entry.get("aliases") or ()),
            )
        return actors

    def to_yaml_dict(self) -> dict:
        out = {}
        for a in self.actors.values():
            entry: dict = {"name": a.name, "type": a.type}
            if a.country:
                entry["country"] = a.country
            if a.affiliation:
                entry["affiliation"] = a.affiliation
            if a.aliases:
                entry["aliases"] = list(a.aliases)
            out[a.code] = entry
        return {"actors": out}
