"""Colour in a PDF, as preflight needs to know it: colour spaces and colours.

A colour space is resolved through a resource dictionary (ICCBased, Separation, DeviceN,
Indexed and Pattern down to what they paint) and reduced to a `ColourSpace`; a colour set in
a content stream is a `Colour` (its space and values). What a print shop asks of them:

    is_print_space   CMYK, grey (DeviceGray: the black plate), the registration colour
                     (Separation All) and "None"; no RGB, Lab, ICC-based grey or RGB, nor
                     a spot colour (a Separation or DeviceN of other inks: an extra plate)
    ink              the total area coverage of a colour, in percent (CMYK 1 1 1 1 = 400)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

PROCESS_COLORANTS = {"Cyan", "Magenta", "Yellow", "Black"}
# "All" is the registration colour (every plate); "None" paints nothing.
NON_SPOT_COLORANTS = PROCESS_COLORANTS | {"All", "None"}


def resolve(value: Any) -> Any:
    """The object an indirect reference points to (or `value` itself)."""
    return value.get_object() if hasattr(value, "get_object") else value


def dictionary(value: Any) -> dict[str, Any]:
    """A resolved PDF dictionary, or an empty one when `value` is missing or not a dictionary."""
    value = resolve(value)
    return value if isinstance(value, dict) else {}


def _number(value: float) -> str:
    return f"{round(value, 3):g}"


@dataclass(frozen=True)
class ColourSpace:
    """A colour space, reduced to what preflight needs.

    `model` is the kind of colour it produces: "RGB", "CMYK", "Gray", "Lab", "Separation",
    "DeviceN", "Pattern" or "unknown". ICC-based and calibrated spaces take the model of their
    number of components (ICCBased /N 3 is RGB); an Indexed space takes its base's model,
    since the colours it paints are the base's colours. `family` is the PDF family
    (DeviceCMYK, ICCBased, Separation, ...); `colorants` the inks of a Separation or DeviceN;
    `base` the underlying space of an uncoloured pattern.
    """

    label: str
    model: str
    components: int
    family: str = ""
    colorants: tuple[str, ...] = ()
    base: ColourSpace | None = None

    def initial_values(self) -> tuple[float, ...]:
        """The colour `cs` selects along with the space: black (PDF 32000 section 8.6.8)."""
        if self.model == "CMYK" and self.components == 4:
            return (0.0, 0.0, 0.0, 1.0)
        if self.model in ("Separation", "DeviceN"):
            return (1.0,) * self.components
        return (0.0,) * self.components

    @property
    def is_print_space(self) -> bool:
        """Whether a print shop's CMYK workflow takes it as it is (see the module's notes)."""
        if self.family in ("DeviceCMYK", "DeviceGray"):
            return True
        if self.family in ("ICCBased", "Indexed") and self.model == "CMYK":
            return True
        if self.family == "Indexed" and self.model == "Gray" and "Device" in self.label:
            return True
        if self.model in ("Separation", "DeviceN"):
            return all(colorant in NON_SPOT_COLORANTS for colorant in self.colorants)
        if self.model == "Pattern":
            return self.base is None or self.base.is_print_space
        return False

    @property
    def spot_colorants(self) -> tuple[str, ...]:
        return tuple(c for c in self.colorants if c not in NON_SPOT_COLORANTS)


DEVICE_GRAY = ColourSpace("DeviceGray", "Gray", 1, "DeviceGray")
DEVICE_RGB = ColourSpace("DeviceRGB", "RGB", 3, "DeviceRGB")
DEVICE_CMYK = ColourSpace("DeviceCMYK", "CMYK", 4, "DeviceCMYK")
PATTERN = ColourSpace("Pattern", "Pattern", 0, "Pattern")
# Names that `cs` takes directly, without a lookup in the resources.
FAMILY_SPACES = {
    "/DeviceGray": DEVICE_GRAY,
    "/DeviceRGB": DEVICE_RGB,
    "/DeviceCMYK": DEVICE_CMYK,
    "/Pattern": PATTERN,
}
# Abbreviations an inline image may use (PDF 32000, table 93).
INLINE_ABBREVIATIONS = {"/G": "/DeviceGray", "/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK"}
MODEL_OF_COMPONENTS = {1: "Gray", 3: "RGB", 4: "CMYK"}


def colour_space(value: Any, resources: dict[str, Any], depth: int = 0) -> ColourSpace:
    """Resolve a colour-space operand (a name or an array) against a resource dictionary."""
    value = resolve(value)
    if depth > 4:
        return ColourSpace("unresolvable colour space", "unknown", 0)
    if isinstance(value, str):  # pypdf's NameObject is a str
        value = INLINE_ABBREVIATIONS.get(value, value)
        if value in FAMILY_SPACES:
            return FAMILY_SPACES[value]
        named = dictionary(resources.get("/ColorSpace")).get(value)
        if named is None:
            return ColourSpace(f"{value} (undefined)", "unknown", 0)
        resolved = colour_space(named, resources, depth + 1)
        return replace(resolved, label=f"{value} ({resolved.label})")
    if not isinstance(value, list) or not value:
        return ColourSpace(f"invalid colour space {value!r}", "unknown", 0)

    family = str(resolve(value[0]))
    if len(value) == 1:
        return colour_space(family, resources, depth + 1)
    if family == "/ICCBased":
        components = int(dictionary(value[1]).get("/N", 0))
        model = MODEL_OF_COMPONENTS.get(components, "unknown")
        return ColourSpace(f"ICCBased {model}", model, components, "ICCBased")
    if family == "/CalRGB":
        return ColourSpace("CalRGB", "RGB", 3, "CalRGB")
    if family == "/CalGray":
        return ColourSpace("CalGray", "Gray", 1, "CalGray")
    if family == "/Lab":
        return ColourSpace("Lab", "Lab", 3, "Lab")
    if family in ("/Indexed", "/I"):
        base = colour_space(value[1], resources, depth + 1)
        return ColourSpace(f"Indexed {base.label}", base.model, 1, "Indexed", base.colorants)
    if family == "/Separation":
        name = str(resolve(value[1])).lstrip("/")
        return ColourSpace(f"Separation {name}", "Separation", 1, "Separation", (name,))
    if family == "/DeviceN":
        names = tuple(str(resolve(name)).lstrip("/") for name in resolve(value[1]))
        return ColourSpace(f"DeviceN {' '.join(names)}", "DeviceN", len(names), "DeviceN", names)
    if family == "/Pattern":
        base = colour_space(value[1], resources, depth + 1)
        return ColourSpace(f"Pattern ({base.label})", "Pattern", base.components, "Pattern",
                           base=base)  # fmt: skip
    return ColourSpace(f"{family}", "unknown", 0, family.lstrip("/"))


@dataclass(frozen=True)
class Colour:
    """A colour as set in a content stream: its space and its component values."""

    space: ColourSpace
    values: tuple[float, ...]

    @property
    def is_pure_k(self) -> bool:
        """100 % black and nothing else: one plate, so no registration blur on small text.
        DeviceGray 0 (black) prints on the black plate alone, so it counts."""
        if self.space.family == "DeviceGray" and len(self.values) == 1:
            return abs(self.values[0]) < 1e-3
        if self.space.model != "CMYK" or len(self.values) != 4:
            return False
        return all(
            abs(got - want) < 1e-3 for got, want in zip(self.values, (0, 0, 0, 1), strict=True)
        )

    @property
    def is_registration(self) -> bool:
        return self.space.colorants == ("All",)

    @property
    def ink(self) -> float | None:
        """Total area coverage in percent, when the colour's inks are known."""
        values = self.values
        if self.space.model == "CMYK" and len(values) == 4:
            return 100 * sum(values)
        if self.space.family == "DeviceGray" and len(values) == 1:
            return 100 * (1 - values[0])
        if self.space.model in ("Separation", "DeviceN") and len(values) == len(
            self.space.colorants
        ):
            inks = 0.0
            for colorant, value in zip(self.space.colorants, values, strict=True):
                inks += 4 * value if colorant == "All" else 0 if colorant == "None" else value
            return 100 * inks
        return None

    def describe(self) -> str:
        """The colour as a preflight report names it: "DeviceRGB 1 0 0"."""
        return " ".join([self.space.label, *(_number(value) for value in self.values)])


INITIAL_COLOUR = Colour(DEVICE_GRAY, (0.0,))
