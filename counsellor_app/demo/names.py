"""Name pools for synthetic participants: British, Welsh, Irish, Polish and other UK communities."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NameStyle(StrEnum):
    """Where a synthetic name comes from (drives the pools and any interpreter language)."""

    __hash__ = str.__hash__  # C-speed lookups in the pools: generation looks styles up often

    ENGLISH = "english"
    WELSH = "welsh"
    IRISH = "irish"
    POLISH = "polish"
    SOUTH_ASIAN = "south_asian"
    ARABIC = "arabic"
    WEST_AFRICAN = "west_african"
    TURKISH = "turkish"
    VIETNAMESE = "vietnamese"
    EUROPEAN = "european"  # French, German, Spanish, Portuguese: accented forms


@dataclass(frozen=True, slots=True)
class NamePool:
    female: tuple[str, ...]
    male: tuple[str, ...]
    # "Male/Female" where the family name changes with sex (Kowalski/Kowalska).
    family: tuple[str, ...]
    languages: tuple[str, ...] = ()  # interpreter languages people with these names may need


def family_form(entry: str, female: bool) -> str:
    """The form of a family-name entry for a man or a woman ("Nowak", "Kowalski/Kowalska")."""
    male_form, _, female_form = entry.partition("/")
    return female_form if female and female_form else male_form


POOLS: dict[NameStyle, NamePool] = {
    NameStyle.ENGLISH: NamePool(
        female=(
            "Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Lily", "Freya",
            "Ella", "Margaret", "Susan", "Sarah", "Helen", "Karen", "Julie", "Patricia", "Linda",
            "Barbara", "Elizabeth", "Joan", "Dorothy", "Jean", "Rachel", "Hannah", "Charlotte",
            "Jessica", "Lucy", "Emma", "Victoria", "Rebecca", "Laura", "Claire", "Nicola",
            "Gemma", "Kelly", "Donna", "Tracey", "Deborah", "Alison", "Ruth", "Pauline", "Mary",
            "Anne-Marie", "Mary-Jane", "Poppy", "Evie", "Daisy", "Maisie", "Harriet",
        ),
        male=(
            "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar",
            "William", "James", "David", "John", "Michael", "Peter", "Christopher", "Paul",
            "Mark", "Andrew", "Richard", "Stephen", "Robert", "Ian", "Gary", "Kevin", "Simon",
            "Daniel", "Matthew", "Samuel", "Joseph", "Benjamin", "Alfie", "Archie", "Leo",
            "Harrison", "Keith", "Graham", "Colin", "Brian", "Trevor", "Stuart", "Neil",
            "Jean-Paul", "Billy-Joe", "Alexander", "Edward", "Henry", "Luke", "Ryan", "Adam",
        ),
        family=(
            "Smith", "Taylor", "Brown", "Wilson", "Johnson", "Robinson", "Thompson", "Wright",
            "Walker", "White", "Green", "Hall", "Harris", "Clarke", "Jackson", "Wood", "Turner",
            "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King",
            "Baker", "Harrison", "Allen", "Scott", "Watson", "Parker", "Bennett", "Young",
            "Mitchell", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw",
            "Miller", "Cox", "Marshall", "Simpson", "Ellis", "Adams", "Wilkinson", "Foster",
            "Chapman", "Webb", "Rogers", "Gray", "Mason", "Hunt", "Campbell", "Matthews",
            "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Butler", "Russell", "Barker",
            "Fisher", "Stevens", "Murray", "Dixon", "Harvey", "Graham", "Pearson", "Fletcher",
            "Gibson", "Howard", "Andrews", "Stewart", "Elliott", "Reynolds", "Saunders",
            "Fox", "Ford", "Pearce", "Brooks", "Lawrence", "Atkinson", "Bradley", "Spencer",
            "Dawson", "Burton", "Booth", "Perry", "Grant", "Wells", "Armstrong", "Francis",
            "Hart", "Hudson", "Newman", "Webster", "Hunter", "Gregory", "Lowe", "Riley",
            "Woods", "Parsons", "Stone", "Hawkins", "Porter", "Newton", "Kennedy", "Bird",
            "Gardner", "Henderson", "Burgess", "Bishop", "Nicholson", "Shepherd", "Freeman",
            "Smith-Jones", "Fox-Talbot", "Ashworth", "Greenwood", "Whitehead", "Hargreaves",
        ),
    ),
    NameStyle.WELSH: NamePool(
        female=(
            "Siân", "Rhiannon", "Cerys", "Eleri", "Ffion", "Bethan", "Carys", "Elin", "Nia",
            "Angharad", "Gwenllian", "Heledd", "Lowri", "Mererid", "Catrin", "Dwynwen", "Gwawr",
            "Tegwen", "Meinir", "Manon", "Seren", "Mali", "Alys", "Efa", "Glesni", "Llinos",
            "Eirlys", "Gwyneth", "Non", "Mairwen", "Enfys", "Hâf",
        ),
        male=(
            "Dafydd", "Gwilym", "Gruffydd", "Llŷr", "Gethin", "Iestyn", "Aled", "Owain", "Rhys",
            "Tomos", "Emyr", "Ieuan", "Osian", "Steffan", "Hywel", "Cai", "Iwan", "Gareth",
            "Dylan", "Rhodri", "Meirion", "Elis", "Garmon", "Macsen", "Ifan", "Guto", "Siôn",
            "Gwion", "Deiniol", "Cynan", "Tudur", "Prys",
        ),
        family=(
            "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis",
            "Morgan", "Griffiths", "Owen", "Price", "Rees", "Lloyd", "Jenkins", "Powell",
            "Parry", "Pritchard", "Prosser", "Bowen", "Pugh", "Gruffydd", "Llywelyn",
            "ap Rhys", "ap Dafydd", "ap Gwilym", "ap Iorwerth", "Vaughan", "Meredith",
            "Cadwaladr", "Wyn", "Tudur", "Hopcyn", "Lloyd-Williams", "Parry-Jones",
            "Wynne-Jones", "Bowen-Davies", "Prydderch", "Gwynedd", "Llwyd",
        ),
        languages=("Welsh",),
    ),
    NameStyle.IRISH: NamePool(
        female=(
            "Aoife", "Niamh", "Siobhán", "Saoirse", "Caoimhe", "Órla", "Róisín", "Máire",
            "Éabha", "Clíodhna", "Gráinne", "Sinéad", "Aisling", "Deirdre", "Bríd", "Mairéad",
            "Ciara", "Fionnuala",
        ),
        male=(
            "Seán", "Pádraig", "Eoin", "Ciarán", "Oisín", "Cathal", "Dónal", "Darragh",
            "Cian", "Tadhg", "Colm", "Fiachra", "Ruairí", "Éamonn", "Diarmuid", "Lorcan",
            "Conor", "Declan",
        ),
        family=(
            "Ó Súilleabháin/Ní Shúilleabháin", "Ó Briain/Ní Bhriain", "Ó Conaill/Ní Chonaill",
            "Ó Ceallaigh/Ní Cheallaigh", "Mac Giolla Phádraig/Nic Giolla Phádraig",
            "O'Neill", "O'Brien", "O'Sullivan", "O'Connor", "O'Donnell", "D'Arcy", "McCann",
            "Murphy", "Kelly", "Byrne", "Walsh", "Ryan", "Doyle", "Quinn", "Gallagher",
            "McLaughlin", "Keane", "Fitzgerald", "Ní Dhomhnaill/Ní Dhomhnaill",
        ),
        languages=("Irish",),
    ),
    NameStyle.POLISH: NamePool(
        female=(
            "Łucja", "Małgorzata", "Agnieszka", "Katarzyna", "Zofia", "Joanna", "Magdalena",
            "Żaneta", "Grażyna", "Bożena", "Anna", "Alicja", "Wiktoria", "Jadwiga",
        ),
        male=(
            "Bartłomiej", "Michał", "Paweł", "Łukasz", "Krzysztof", "Grzegorz", "Wojciech",
            "Tomasz", "Piotr", "Jakub", "Mikołaj", "Przemysław", "Jarosław", "Zbigniew",
        ),
        family=(
            "Wójcik", "Kowalczyk", "Nowak", "Wiśniewski/Wiśniewska", "Dąbrowski/Dąbrowska",
            "Lewandowski/Lewandowska", "Zieliński/Zielińska", "Szymański/Szymańska", "Wróbel",
            "Kamiński/Kamińska", "Kowalski/Kowalska", "Woźniak", "Mazur", "Krawczyk",
            "Sikora", "Grabowski/Grabowska", "Pawłowski/Pawłowska", "Michalak",
        ),
        languages=("Polish",),
    ),
    NameStyle.SOUTH_ASIAN: NamePool(
        female=(
            "Ayesha", "Priya", "Fatima", "Zainab", "Aisha", "Anjali", "Harpreet", "Gurpreet",
            "Nusrat", "Rubina", "Shabnam", "Sunita", "Parveen", "Nasreen", "Amrit", "Kiran",
            "Shazia", "Taslima",
        ),
        male=(
            "Mohammed", "Arjun", "Imran", "Rahul", "Sanjay", "Abdul", "Tariq", "Asif",
            "Rajesh", "Harjit", "Kamran", "Shahid", "Faisal", "Jaswinder", "Anwar", "Rakib",
            "Vikram", "Zubair",
        ),
        family=(
            "Patel", "Khan", "Ahmed", "Hussain", "Begum", "Ali", "Singh", "Kaur", "Shah",
            "Akhtar", "Rahman", "Chowdhury", "Islam", "Uddin", "Miah", "Sharma", "Bibi",
            "Iqbal", "Mahmood", "Choudhury", "Sandhu", "Gill", "Mistry", "D'Souza",
        ),
        languages=("Urdu", "Bengali", "Punjabi", "Gujarati", "Sylheti"),
    ),
    NameStyle.ARABIC: NamePool(
        female=("Layla", "Mariam", "Noor", "Huda", "Amira", "Rania", "Salma", "Yasmin"),
        male=("Omar", "Yusuf", "Hassan", "Khalid", "Ibrahim", "Karim", "Tareq", "Sami"),
        family=(
            "Al-Hassan", "El-Sayed", "Abdullah", "Haddad", "Mansour", "Al-Rashid", "Nasser",
            "Saleh", "Abu-Bakr", "Khalil",
        ),
        languages=("Arabic",),
    ),
    NameStyle.WEST_AFRICAN: NamePool(
        female=("Adaeze", "Ngozi", "Oluwaseun", "Ama", "Chiamaka", "Funmilayo", "Abena", "Folake"),
        male=("Chinedu", "Kwame", "Oluwatobi", "Emeka", "Kofi", "Babajide", "Tunde", "Yaw"),
        family=(
            "Okafor", "Adeyemi", "Mensah", "Okonkwo", "Boateng", "Adebayo", "Owusu",
            "Oyelaran-Bello", "Eze", "Asante", "N'Diaye", "Afolabi",
        ),
        languages=("Yoruba", "Twi"),
    ),
    NameStyle.TURKISH: NamePool(
        female=("Şule", "Gökçe", "Ayşe", "Elif", "Zeynep", "Gülşen", "Özlem", "Nurşen"),
        male=("Mehmet", "Mustafa", "Hüseyin", "Emre", "Çağlar", "Barış", "İsmail", "Oğuz"),
        family=("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Doğan"),
        languages=("Turkish",),
    ),
    NameStyle.VIETNAMESE: NamePool(
        female=("Thị Lan", "Ngọc Anh", "Thu Hà", "Mai", "Huyền", "Phương"),
        male=("Văn Minh", "Quốc Huy", "Đức Anh", "Tuấn", "Hùng", "Khoa"),
        family=("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"),
        languages=("Vietnamese",),
    ),
    NameStyle.EUROPEAN: NamePool(
        female=(
            "Zoë", "Chloé", "Renée", "Léa", "Hélène", "Thérèse", "Mégane", "Inês", "Begoña",
            "Maëlle", "Åsa", "Noémie", "Zoé", "Françoise",
        ),
        male=(
            "José", "Noël", "François", "Jérôme", "Björn", "João", "Iñaki", "Raphaël",
            "Stéphane", "Jürgen", "Søren", "André", "Loïc", "Andrés",
        ),
        family=(
            "Müller", "Gonçalves", "Núñez", "Lefèvre", "Dubois", "Fernández", "García",
            "Schröder", "Høeg", "Peña", "Araújo", "D'Angelo", "Dell'Olio", "Böhm",
            "Le Roux", "Brontë",
        ),
        languages=("Portuguese", "Spanish", "French"),
    ),
}

# Mostly British names, with the communities each region actually serves.
REGION_STYLE_WEIGHTS: dict[str, tuple[tuple[NameStyle, int], ...]] = {
    "wales": (
        (NameStyle.ENGLISH, 44), (NameStyle.WELSH, 38), (NameStyle.POLISH, 4),
        (NameStyle.SOUTH_ASIAN, 5), (NameStyle.IRISH, 3), (NameStyle.ARABIC, 2),
        (NameStyle.EUROPEAN, 2), (NameStyle.WEST_AFRICAN, 1), (NameStyle.TURKISH, 1),
    ),
    "north_west": (
        (NameStyle.ENGLISH, 56), (NameStyle.SOUTH_ASIAN, 14), (NameStyle.IRISH, 8),
        (NameStyle.POLISH, 5), (NameStyle.WEST_AFRICAN, 5), (NameStyle.ARABIC, 4),
        (NameStyle.EUROPEAN, 3), (NameStyle.WELSH, 3), (NameStyle.VIETNAMESE, 1),
        (NameStyle.TURKISH, 1),
    ),
    "london_ne": (
        (NameStyle.ENGLISH, 38), (NameStyle.SOUTH_ASIAN, 20), (NameStyle.WEST_AFRICAN, 10),
        (NameStyle.TURKISH, 6), (NameStyle.POLISH, 6), (NameStyle.IRISH, 5),
        (NameStyle.EUROPEAN, 6), (NameStyle.ARABIC, 5), (NameStyle.VIETNAMESE, 2),
        (NameStyle.WELSH, 2),
    ),
    "northern_ireland": (
        (NameStyle.ENGLISH, 40), (NameStyle.IRISH, 45), (NameStyle.POLISH, 6),
        (NameStyle.SOUTH_ASIAN, 4), (NameStyle.EUROPEAN, 3), (NameStyle.WEST_AFRICAN, 2),
    ),
}

FEMALE_ADULT_TITLES = (("Mrs", 45), ("Ms", 30), ("Miss", 17), ("Dr", 3), ("Mx", 1))
MALE_ADULT_TITLES = (("Mr", 95), ("Dr", 4), ("Mx", 1))

# Clinical staff who record decisions ("recorded_by") and hold caseloads, per region.
STAFF: dict[str, tuple[str, ...]] = {
    "wales": ("J. Evans", "S. O'Neill", "C. ap Iorwerth", "R. Pritchard", "M. Llewellyn"),
    "north_west": ("A. Banerjee", "K. Whitworth", "S. O'Neill", "L. Okoro", "H. Fairclough"),
    "london_ne": ("T. Adebayo", "R. Goldberg", "N. Chaudhry", "E. Kowalczyk", "F. Murray"),
    "northern_ireland": ("D. McAllister", "B. Ó Néill", "P. Hamill", "G. Kerr"),
}

# Researchers and clinicians who send collaboration requests.
REQUESTER_NAMES = (
    "Dr Priya Raman", "Professor Alan Whitfield", "Dr Ffion Pugh", "Dr Tomasz Zieliński",
    "Professor Aoife Ní Bhriain", "Dr Chukwuemeka Obi", "Dr Hannah Greaves",
    "Professor Mei Lin", "Dr Rhodri Lloyd-Jones", "Dr Sofia Marchetti", "Dr James O'Hare",
    "Professor Nasrin Karimi",
)
