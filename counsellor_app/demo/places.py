"""Clinical teams, their Genomic Laboratory Hubs, and the towns and streets they serve."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Town:
    name: str
    county: str | None  # an extra address line where people write one
    outward_codes: tuple[str, ...]  # real postcode districts for the town
    districts: tuple[str, ...]  # localities written on the line above the town


@dataclass(frozen=True, slots=True)
class Region:
    key: str
    towns: tuple[Town, ...]
    streets: tuple[str, ...]
    house_names: tuple[str, ...]
    practice_suffixes: tuple[str, ...]


DEFAULT_TEAMS: tuple[str, ...] = ("team-cardiff", "team-manchester", "team-london-ne")

TEAM_NAMES: dict[str, str] = {
    "team-cardiff": "All Wales Medical Genomics Service (Cardiff)",
    "team-manchester": "Manchester Centre for Genomic Medicine",
    "team-london-ne": "North East Thames Regional Genetics Service",
    "team-belfast": "Northern Ireland Regional Genetics Service (Belfast)",
}

TEAM_GLH: dict[str, str] = {
    "team-cardiff": "All Wales Genomic Laboratory",
    "team-manchester": "North West Genomic Laboratory Hub",
    "team-london-ne": "North Thames Genomic Laboratory Hub",
    "team-belfast": "Northern Ireland Regional Genetics Laboratory",
}

TEAM_REGION: dict[str, str] = {
    "team-cardiff": "wales",
    "team-manchester": "north_west",
    "team-london-ne": "london_ne",
    "team-belfast": "northern_ireland",
}


def team_name(team: str) -> str:
    """A team's display name; teams outside the catalogue are shown by their id."""
    return TEAM_NAMES.get(team, team)


def team_glh(team: str) -> str:
    """The Genomic Laboratory Hub that reports a team's results."""
    return TEAM_GLH.get(team, "Central and South Genomic Laboratory Hub")


def team_region(team: str) -> str:
    """The region whose towns and names a team's participants get (unknown teams: round robin)."""
    if team in TEAM_REGION:
        return TEAM_REGION[team]
    keys = sorted(REGIONS)
    return keys[sum(map(ord, team)) % len(keys)]


# Postcode inward codes never use C, I, K, M, O or V in their letters.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

_WELSH_STREETS = (
    "Heol y Nant", "Ffordd yr Afon", "Lôn Las", "Stryd Fawr", "Maes y Coed", "Heol Eglwys",
    "Cae Glas", "Glan-y-Dŵr", "Heol y Tŵr", "Cathedral Road", "Whitchurch Road",
    "Albany Road", "Crwys Road", "Cowbridge Road East", "Mumbles Road", "Walter Road",
    "Ffordd Penrhos", "Lôn Ysgol", "High Street", "Station Road", "Church Street",
    "Bryn Road", "Heol Llanishen Fach", "Ffordd Caerdydd", "Pen-y-Lan Road",
    "St Helen's Road", "Ael-y-Bryn", "Rhodfa'r Môr",
)
_NORTH_WEST_STREETS = (
    "Wilmslow Road", "Oxford Road", "Stockport Road", "Bury New Road", "Chorlton Road",
    "Palatine Road", "Moss Lane East", "Hyde Road", "Ashton Old Road", "Princess Parkway",
    "Church Lane", "Mill Lane", "Victoria Street", "Park Avenue", "Station Road",
    "Deansgate", "Bolton Road", "Manchester Road", "Lord Street", "Smithdown Road",
    "Claremont Road", "Cheetham Hill Road", "Eccles New Road", "Beech Road",
)
_LONDON_STREETS = (
    "Mile End Road", "Whitechapel Road", "Commercial Road", "Roman Road", "Mare Street",
    "Stoke Newington High Street", "Green Lanes", "Seven Sisters Road", "Romford Road",
    "Barking Road", "Cranbrook Road", "Hoe Street", "Lea Bridge Road", "Brick Lane",
    "Cable Street", "Upper Street", "Essex Road", "Forest Road", "High Road Leytonstone",
    "Church Road", "Kingsland Road", "Well Street", "Victoria Park Road", "Chatsworth Road",
)
_BELFAST_STREETS = (
    "Lisburn Road", "Ormeau Road", "Falls Road", "Antrim Road", "Malone Road",
    "Newtownards Road", "Shore Road", "Springfield Road", "Cregagh Road", "Upper Newtownards Road",
    "Castlereagh Street", "Woodstock Road", "University Street", "Donegall Pass",
)

REGIONS: dict[str, Region] = {
    "wales": Region(
        key="wales",
        towns=(
            Town("Cardiff", None, ("CF5", "CF10", "CF11", "CF14", "CF23", "CF24"),
                 ("Canton", "Whitchurch", "Roath", "Cathays", "Llanishen", "Splott", "Grangetown",
                  "Pen-y-lan", "Llandaff", "Rhiwbina")),
            Town("Swansea", None, ("SA1", "SA2", "SA3", "SA5", "SA6"),
                 ("Uplands", "Sketty", "Mumbles", "Morriston", "Townhill", "Killay")),
            Town("Bangor", "Gwynedd", ("LL57",), ("Penrhosgarnedd", "Maesgeirchen", "Hirael")),
            Town("Caernarfon", "Gwynedd", ("LL55",), ("Llanbeblig", "Peblig", "Twthill")),
            Town("Pwllheli", "Gwynedd", ("LL53",), ("Abererch", "Efailnewydd")),
            Town("Newport", None, ("NP19", "NP20"), ("Maindee", "Malpas", "Bettws", "Caerleon")),
            Town("Wrexham", None, ("LL11", "LL12", "LL13"), ("Rhosddu", "Gwersyllt", "Acton")),
            Town("Aberystwyth", "Ceredigion", ("SY23",), ("Penparcau", "Llanbadarn Fawr")),
            Town("Carmarthen", "Carmarthenshire", ("SA31",), ("Johnstown", "Llangain")),
        ),
        streets=_WELSH_STREETS,
        house_names=("Tŷ Gwyn", "Tŷ Newydd", "Bryn Awel", "Tŷ'n y Coed", "Awel y Môr",
                     "Hafod", "Bron Haul"),
        practice_suffixes=("Surgery", "Health Centre", "Medical Centre", "Meddygfa"),
    ),
    "north_west": Region(
        key="north_west",
        towns=(
            Town("Manchester", None, ("M8", "M13", "M14", "M16", "M20", "M21", "M40"),
                 ("Rusholme", "Fallowfield", "Didsbury", "Chorlton", "Levenshulme",
                  "Moss Side", "Cheetham Hill", "Withington")),
            Town("Salford", None, ("M5", "M6", "M7"), ("Pendleton", "Eccles", "Broughton")),
            Town("Stockport", None, ("SK1", "SK2", "SK4"), ("Heaton Moor", "Edgeley")),
            Town("Bolton", None, ("BL1", "BL3"), ("Astley Bridge", "Daubhill", "Halliwell")),
            Town("Liverpool", None, ("L8", "L15", "L17", "L18"),
                 ("Toxteth", "Wavertree", "Aigburth", "Allerton")),
            Town("Preston", "Lancashire", ("PR1", "PR2"), ("Fulwood", "Ashton-on-Ribble")),
        ),
        streets=_NORTH_WEST_STREETS,
        house_names=("Rose Cottage", "The Laurels", "Moorside", "Ivy House"),
        practice_suffixes=("Medical Practice", "Surgery", "Health Centre", "Group Practice"),
    ),
    "london_ne": Region(
        key="london_ne",
        towns=(
            Town("London", None, ("E1", "E2", "E3", "E5", "E8", "E9", "E14", "E17", "N16"),
                 ("Bethnal Green", "Bow", "Hackney", "Stepney", "Poplar", "Walthamstow",
                  "Stoke Newington", "Clapton", "Whitechapel", "Mile End")),
            Town("Ilford", "Essex", ("IG1", "IG2", "IG3"), ("Seven Kings", "Newbury Park")),
            Town("Romford", "Essex", ("RM1", "RM3", "RM7"), ("Harold Wood", "Gidea Park")),
            Town("Enfield", None, ("EN1", "EN3"), ("Ponders End", "Bush Hill Park")),
        ),
        streets=_LONDON_STREETS,
        house_names=("Flat 2, Trinity Court", "Flat 14, Lansbury House", "Flat 7, Cable Mews"),
        practice_suffixes=("Medical Centre", "Health Centre", "Surgery", "Group Practice"),
    ),
    "northern_ireland": Region(
        key="northern_ireland",
        towns=(
            Town("Belfast", None, ("BT4", "BT5", "BT6", "BT7", "BT9", "BT12", "BT14", "BT15"),
                 ("Ormeau", "Stranmillis", "Ballyhackamore", "Andersonstown", "Sydenham")),
            Town("Lisburn", "County Antrim", ("BT27", "BT28"), ("Lambeg", "Hilden")),
            Town("Newry", "County Down", ("BT34", "BT35"), ("Drumalane", "Carnagat")),
        ),
        streets=_BELFAST_STREETS,
        house_names=("Glenview", "Slieve View", "Lough View"),
        practice_suffixes=("Surgery", "Health Centre", "Medical Practice"),
    ),
}
