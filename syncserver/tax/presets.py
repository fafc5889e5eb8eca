"""Country tax presets, as data: the classes and rates a new shop in DE, FR, GB or the US
starts with (docs/tenant-config.md has the table). US sales tax depends on the place, so its
rate is given when the preset is applied."""

from __future__ import annotations

from dataclasses import dataclass

US_RATE = "rate"  # the placeholder the US preset's sales-tax rate takes when applied


@dataclass(frozen=True)
class PresetClass:
    code: str
    rates: tuple[tuple[str, str], ...]  # (rate code, percent as text)


@dataclass(frozen=True)
class Preset:
    country: str
    name: str
    prices_include_tax: bool
    classes: tuple[PresetClass, ...]
    needs_rate: bool = False  # the caller gives the rate (`rate_percent`)


PRESETS: dict[str, Preset] = {
    p.country: p
    for p in (
        Preset(
            "DE",
            "Germany: VAT (Umsatzsteuer), prices include tax",
            True,
            (PresetClass("STD", (("VAT19", "19"),)), PresetClass("REDUCED", (("VAT7", "7"),))),
        ),
        Preset(
            "FR",
            "France: VAT (TVA), prices include tax",
            True,
            (
                PresetClass("STD", (("TVA20", "20"),)),
                PresetClass("INTER", (("TVA10", "10"),)),
                PresetClass("REDUCED", (("TVA5.5", "5.5"),)),
            ),
        ),
        Preset(
            "GB",
            "United Kingdom: VAT, prices include tax",
            True,
            (
                PresetClass("STD", (("VAT20", "20"),)),
                PresetClass("REDUCED", (("VAT5", "5"),)),
                PresetClass("ZERO", (("VAT0", "0"),)),
            ),
        ),
        Preset(
            "US",
            "United States: sales tax added at the till (your local rate), prices exclude tax",
            False,
            (PresetClass("TAX", (("SALES", US_RATE),)), PresetClass("EXEMPT", ())),
            needs_rate=True,
        ),
    )
}
