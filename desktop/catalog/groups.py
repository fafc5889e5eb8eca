"""The modifier-group form's service: list the groups, create one or change it (name, how many
choices may or must be picked, its options and what each adds to the price) in one
transaction, every problem named by field. Options are never removed: tickets already sold
name them, and sync only ever adds options (desktop/catalog/rows.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update

from desktop.catalog import sync as catalog_sync
from desktop.catalog.forms import GROUP_NAME_MAX, invalid, parse_amount, text_problem
from desktop.db.models import ItemModifierGroup, Modifier, ModifierGroup
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import audit
from desktop.sales.config import load
from desktop.staff.service import Actor
from shared.errors import NotFound, ValidationFailed
from shared.ids import uuid7
from shared.money import Money
from shared.permissions import Permission

MAX_OPTIONS = 40


@dataclass(frozen=True)
class OptionDraft:
    name: str
    price_delta: str = ""  # as typed: "0.40"; empty is 0
    id: uuid.UUID | None = None  # an option saved before (None: a new one)
    default: bool = False  # ticked when the counter asks (at most "at most" of them)


@dataclass(frozen=True)
class GroupDraft:
    name: str
    min_choices: int
    max_choices: int
    options: tuple[OptionDraft, ...]


@dataclass(frozen=True)
class OptionView:
    id: uuid.UUID
    name: str
    price_delta: Money
    default: bool = False


@dataclass(frozen=True)
class GroupView:
    id: uuid.UUID
    name: str
    min_choices: int
    max_choices: int
    options: tuple[OptionView, ...]
    items: int  # how many items offer it

    @property
    def rule(self) -> str:
        """ "pick 1", "up to 3", "1 to 2" — how the list describes it."""
        lo, hi = self.min_choices, self.max_choices
        if lo == hi:
            return f"pick {lo}"
        return f"up to {hi}" if lo == 0 else f"{lo} to {hi}"

    def draft(self) -> GroupDraft:
        return GroupDraft(
            self.name,
            self.min_choices,
            self.max_choices,
            tuple(
                OptionDraft(o.name, f"{o.price_delta.amount}", o.id, o.default)
                for o in self.options
            ),
        )


def list_groups(uow: UnitOfWork) -> list[GroupView]:
    """Every modifier group, by name, with its options (by name) and how many items use it."""
    currency = load(uow).currency
    used = dict(
        uow.conn.execute(
            select(ItemModifierGroup.group_id, func.count()).group_by(ItemModifierGroup.group_id)
        ).all()
    )
    options: dict[uuid.UUID, list[OptionView]] = {}
    for mid, gid, name, delta, default in uow.conn.execute(
        select(
            Modifier.id,
            Modifier.group_id,
            Modifier.name,
            Modifier.price_delta_minor,
            Modifier.is_default,
        ).order_by(Modifier.name)
    ):
        options.setdefault(gid, []).append(
            OptionView(mid, str(name), Money.from_minor(int(delta), currency), bool(default))
        )
    rows = uow.conn.execute(
        select(ModifierGroup.id, ModifierGroup.name, ModifierGroup.min_choices)
        .add_columns(ModifierGroup.max_choices)
        .order_by(ModifierGroup.name)
    )
    return [
        GroupView(gid, str(name), int(lo), int(hi), tuple(options.get(gid, ())), used.get(gid, 0))
        for gid, name, lo, hi in rows
    ]


def get_group(uow: UnitOfWork, group_id: uuid.UUID) -> GroupView:
    for group in list_groups(uow):
        if group.id == group_id:
            return group
    raise NotFound("no such modifier group", details={"group_id": str(group_id)})


def _problems(
    draft: GroupDraft, currency: str, old: GroupView | None
) -> tuple[dict[str, str], list[Money]]:
    problems: dict[str, str] = {}
    if problem := text_problem(draft.name, "the group's name", max_len=GROUP_NAME_MAX):
        problems["name"] = problem
    deltas: list[Money] = []
    seen: set[str] = set()
    for n, option in enumerate(draft.options, start=1):
        label = option.name.strip() or f"option {n}"
        problem = text_problem(option.name, f"option {n}'s name", max_len=GROUP_NAME_MAX)
        if problem is None and label.casefold() in seen:
            problem = f"{label} is listed twice"
        seen.add(label.casefold())
        try:
            deltas.append(parse_amount(option.price_delta or "0", currency, f"{label}'s price"))
        except ValidationFailed as exc:
            problem = problem or exc.message
        if problem:
            problems.setdefault("options", problem)
    if not draft.options:
        problems["options"] = "add at least one option"
    elif len(draft.options) > MAX_OPTIONS:
        problems["options"] = f"at most {MAX_OPTIONS} options"
    if old is not None:
        kept = {o.id for o in draft.options}
        if gone := [o.name for o in old.options if o.id not in kept]:
            problems["options"] = (
                f"{gone[0]} cannot be removed (tickets already sold name it): rename it instead"
            )
    lo, hi, count = draft.min_choices, draft.max_choices, len(draft.options)
    if lo < 0 or hi < 1:
        problems["choices"] = "“at least” is 0 or more and “at most” 1 or more"
    elif lo > hi:
        problems["choices"] = f"“at least” ({lo}) cannot be more than “at most” ({hi})"
    elif count and hi > count:
        problems["choices"] = f"at most {count}: there are only {count} options"
    defaults = sum(1 for o in draft.options if o.default)
    if "options" not in problems and hi >= 0 and defaults > hi:
        problems["options"] = (
            f"{defaults} options are ticked as default but a customer picks at most {hi}"
        )
    return problems, deltas


def save_group(
    uow: UnitOfWork, actor: Actor, draft: GroupDraft, *, group_id: uuid.UUID | None = None
) -> uuid.UUID:
    """Create the group (no `group_id`) or change it to match `draft`; returns its id.

    Raises:
        AuthzError: the actor lacks `catalog.edit`.
        ValidationFailed: `details["fields"]` maps "name", "choices", "options" to the problem.
        NotFound: `group_id` is not a group here.
    """
    actor.require(Permission.CATALOG_EDIT)
    old = get_group(uow, group_id) if group_id is not None else None
    problems, deltas = _problems(draft, load(uow).currency, old)
    if problems:
        raise invalid(problems)
    name = draft.name.strip()
    head = {"name": name, "min_choices": draft.min_choices, "max_choices": draft.max_choices}
    if old is None or group_id is None:
        group_id = uuid7()
        uow.conn.execute(insert(ModifierGroup).values(id=group_id, **head))
        changed = ["name", "min_choices", "max_choices", "modifiers"]
    else:
        was = {"name": old.name, "min_choices": old.min_choices, "max_choices": old.max_choices}
        changed = [k for k, v in head.items() if was[k] != v]
        uow.conn.execute(update(ModifierGroup).where(ModifierGroup.id == group_id).values(**head))
    before = {
        o.id: (o.name, o.price_delta.minor_units, o.default) for o in (old.options if old else ())
    }
    options_changed = False
    for option, delta in zip(draft.options, deltas, strict=True):
        values = (option.name.strip(), delta.quantize().minor_units, option.default)
        columns = dict(zip(("name", "price_delta_minor", "is_default"), values, strict=True))
        if option.id is not None and option.id in before:
            if before[option.id] != values:
                uow.conn.execute(update(Modifier).where(Modifier.id == option.id).values(**columns))
                options_changed = True
        else:
            uow.conn.execute(insert(Modifier).values(id=uuid7(), group_id=group_id, **columns))
            options_changed = True
    if options_changed and "modifiers" not in changed:
        changed.append("modifiers")
    if not changed:
        return group_id
    catalog_sync.record(uow, "cat.modifier_group", group_id, changed)
    audit(
        uow,
        actor_id=actor.id,
        action=f"catalog.modifier_group_{'created' if old is None else 'changed'}",
        target_id=group_id,
        details={"name": name, "min": draft.min_choices, "max": draft.max_choices,
                 "fields": changed},
    )  # fmt: skip
    return group_id
