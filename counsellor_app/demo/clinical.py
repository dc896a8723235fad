"""Clinical vocabulary for synthetic data: disorders, cancers, variants, requesters and studies."""

from __future__ import annotations

from dataclasses import dataclass

from counsellor_app.domain.request import RequestKind, StudyType
from counsellor_app.domain.result import ModeOfInheritance, Zygosity

AD = ModeOfInheritance.AUTOSOMAL_DOMINANT
AR = ModeOfInheritance.AUTOSOMAL_RECESSIVE
XLD = ModeOfInheritance.X_LINKED_DOMINANT
XLR = ModeOfInheritance.X_LINKED_RECESSIVE
MT = ModeOfInheritance.MITOCHONDRIAL
DN = ModeOfInheritance.DE_NOVO


@dataclass(frozen=True, slots=True)
class KnownVariant:
    """A published-style variant that explains a condition."""

    gene: str
    transcript: str
    hgvs_c: str
    hgvs_p: str | None
    inheritance: ModeOfInheritance
    zygosity: Zygosity
    condition: str


def _v(
    gene: str,
    transcript: str,
    c: str,
    p: str | None,
    moi: ModeOfInheritance,
    condition: str,
    zygosity: Zygosity = Zygosity.HETEROZYGOUS,
) -> KnownVariant:
    return KnownVariant(gene, transcript, c, p, moi, zygosity, condition)


HOM = Zygosity.HOMOZYGOUS
HEMI = Zygosity.HEMIZYGOUS
CHET = Zygosity.COMPOUND_HETEROZYGOUS
MOS = Zygosity.MOSAIC

# Rare-disease referral reasons (100,000 Genomes disease names) with variants that explain them.
RARE_DISEASES: dict[str, tuple[KnownVariant, ...]] = {
    "Intellectual disability": (
        _v("KMT2D", "NM_003482.4", "c.5269C>T", "p.(Arg1757Ter)", DN, "Kabuki syndrome"),
        _v("DDX3X", "NM_001356.5", "c.1703C>T", "p.(Pro568Leu)", DN,
           "DDX3X-related neurodevelopmental disorder"),
        _v("ARID1B", "NM_020732.3", "c.2598del", "p.(Tyr867ThrfsTer47)", DN,
           "Coffin-Siris syndrome"),
        _v("MECP2", "NM_004992.4", "c.473C>T", "p.(Thr158Met)", XLD, "Rett syndrome"),
    ),
    "Epileptic encephalopathy": (
        _v("SCN1A", "NM_001165963.4", "c.2836C>T", "p.(Arg946Cys)", DN, "Dravet syndrome"),
        _v("KCNQ2", "NM_172107.4", "c.881C>T", "p.(Ala294Val)", DN,
           "KCNQ2-related developmental and epileptic encephalopathy"),
        _v("CDKL5", "NM_001323289.2", "c.175C>T", "p.(Arg59Ter)", XLD, "CDKL5 deficiency disorder"),
    ),
    "Hypertrophic cardiomyopathy": (
        _v("MYBPC3", "NM_000256.3", "c.1504C>T", "p.(Arg502Trp)", AD,
           "Hypertrophic cardiomyopathy"),
        _v("MYH7", "NM_000257.4", "c.1208G>A", "p.(Arg403Gln)", AD, "Hypertrophic cardiomyopathy"),
    ),
    "Retinal disorders": (
        _v("ABCA4", "NM_000350.3", "c.5882G>A", "p.(Gly1961Glu)", AR, "Stargardt disease", CHET),
        _v("USH2A", "NM_206933.4", "c.2299del", "p.(Glu767SerfsTer21)", AR, "Usher syndrome type 2",
           HOM),
        _v("RPGR", "NM_001034853.2", "c.2405_2406del", "p.(Glu802GlyfsTer32)", XLR,
           "X-linked retinitis pigmentosa", HEMI),
    ),
    "Cystic kidney disease": (
        _v("PKD1", "NM_001009944.3", "c.12682C>T", "p.(Gln4228Ter)", AD,
           "Autosomal dominant polycystic kidney disease"),
        _v("PKHD1", "NM_138694.4", "c.107C>T", "p.(Thr36Met)", AR,
           "Autosomal recessive polycystic kidney disease", CHET),
    ),
    "Haemoglobinopathies": (
        _v("HBA2", "NM_000517.6", "c.427T>C", "p.(Ter143GlnextTer31)", AR, "α-thalassaemia", HOM),
        _v("HBB", "NM_000518.5", "c.92+1G>A", None, AR, "β-thalassaemia major", HOM),
        _v("HBB", "NM_000518.5", "c.20A>T", "p.(Glu7Val)", AR, "Sickle cell disease", HOM),
    ),
    "Congenital muscular dystrophy": (
        _v("DMD", "NM_004006.3", "c.10171C>T", "p.(Arg3391Ter)", XLR,
           "Duchenne muscular dystrophy", HEMI),
        _v("LAMA2", "NM_000426.4", "c.7536del", "p.(Arg2512SerfsTer9)", AR,
           "LAMA2-related muscular dystrophy", HOM),
    ),
    "Mitochondrial disorders": (
        _v("MT-TL1", "NC_012920.1", "m.3243A>G", None, MT, "MELAS", MOS),
        _v("POLG", "NM_002693.3", "c.1399G>A", "p.(Ala467Thr)", AR, "POLG-related disorder", HOM),
    ),
    "Inherited aortopathy": (
        _v("FBN1", "NM_000138.5", "c.4082G>A", "p.(Cys1361Tyr)", AD, "Marfan syndrome"),
    ),
    "Alport syndrome": (
        _v("COL4A5", "NM_000495.5", "c.1871G>A", "p.(Gly624Asp)", XLD, "Alport syndrome", HEMI),
    ),
    "Cystic fibrosis (atypical presentation)": (
        _v("CFTR", "NM_000492.4", "c.1521_1523del", "p.(Phe508del)", AR, "Cystic fibrosis", HOM),
    ),
    "Early onset and familial Parkinson's disease": (
        _v("LRRK2", "NM_198578.4", "c.6055G>A", "p.(Gly2019Ser)", AD, "LRRK2 Parkinson's disease"),
        _v("PRKN", "NM_004562.3", "c.155del", "p.(Asn52MetfsTer29)", AR,
           "PRKN-related early-onset Parkinson's disease", HOM),
    ),
}

# Cancer referrals with germline variants that may explain them.
CANCERS: dict[str, tuple[KnownVariant, ...]] = {
    "Breast cancer": (
        _v("BRCA2", "NM_000059.4", "c.5946del", "p.(Ser1982ArgfsTer22)", AD,
           "Hereditary breast and ovarian cancer"),
        _v("BRCA1", "NM_007294.4", "c.68_69del", "p.(Glu23ValfsTer17)", AD,
           "Hereditary breast and ovarian cancer"),
        _v("PALB2", "NM_024675.4", "c.3113G>A", "p.(Trp1038Ter)", AD,
           "PALB2-related breast cancer"),
        _v("CHEK2", "NM_007194.4", "c.1100del", "p.(Thr367MetfsTer15)", AD,
           "CHEK2-related breast cancer"),
    ),
    "Ovarian cancer": (
        _v("BRCA1", "NM_007294.4", "c.5266dup", "p.(Gln1756ProfsTer74)", AD,
           "Hereditary breast and ovarian cancer"),
    ),
    "Colorectal cancer": (
        _v("MLH1", "NM_000249.4", "c.350C>T", "p.(Thr117Met)", AD, "Lynch syndrome"),
        _v("MSH2", "NM_000251.3", "c.942+3A>T", None, AD, "Lynch syndrome"),
        _v("APC", "NM_000038.6", "c.3927_3931del", "p.(Glu1309AspfsTer4)", AD,
           "Familial adenomatous polyposis"),
    ),
    "Endometrial carcinoma": (
        _v("MSH6", "NM_000179.3", "c.3261dup", "p.(Phe1088LeufsTer5)", AD, "Lynch syndrome"),
    ),
    "Sarcoma": (
        _v("TP53", "NM_000546.6", "c.743G>A", "p.(Arg248Gln)", AD, "Li-Fraumeni syndrome"),
    ),
    "Renal cell carcinoma": (
        _v("VHL", "NM_000551.4", "c.499C>T", "p.(Arg167Trp)", AD, "von Hippel-Lindau disease"),
    ),
    "Prostate cancer": (
        _v("BRCA2", "NM_000059.4", "c.9097dup", "p.(Thr3033AsnfsTer11)", AD,
           "BRCA2-related prostate cancer"),
    ),
    "Glioblastoma": (),
    "Lung adenocarcinoma": (),
    "Acute myeloid leukaemia": (),
}

# Somatic (tumour) variants for cancers without a germline explanation in the list above.
SOMATIC: dict[str, tuple[KnownVariant, ...]] = {
    "Glioblastoma": (
        _v("IDH1", "NM_005896.4", "c.395G>A", "p.(Arg132His)", ModeOfInheritance.UNKNOWN,
           "IDH-mutant astrocytoma"),
        _v("TERT", "NM_198253.3", "c.-124C>T", None, ModeOfInheritance.UNKNOWN, "Glioblastoma"),
    ),
    "Lung adenocarcinoma": (
        _v("EGFR", "NM_005228.5", "c.2573T>G", "p.(Leu858Arg)", ModeOfInheritance.UNKNOWN,
           "EGFR-mutant lung adenocarcinoma"),
        _v("KRAS", "NM_004985.5", "c.34G>T", "p.(Gly12Cys)", ModeOfInheritance.UNKNOWN,
           "KRAS G12C lung adenocarcinoma"),
    ),
    "Acute myeloid leukaemia": (
        _v("NPM1", "NM_002520.7", "c.860_863dup", "p.(Trp288CysfsTer12)",
           ModeOfInheritance.UNKNOWN, "NPM1-mutated acute myeloid leukaemia"),
        _v("FLT3", "NM_004119.3", "c.2503G>T", "p.(Asp835Tyr)", ModeOfInheritance.UNKNOWN,
           "FLT3-mutated acute myeloid leukaemia"),
    ),
}

# Additional (secondary) findings: actionable genes looked at only with consent.
ADDITIONAL_FINDINGS: tuple[KnownVariant, ...] = (
    _v("BRCA2", "NM_000059.4", "c.5946del", "p.(Ser1982ArgfsTer22)", AD,
       "Hereditary breast and ovarian cancer"),
    _v("BRCA1", "NM_007294.4", "c.68_69del", "p.(Glu23ValfsTer17)", AD,
       "Hereditary breast and ovarian cancer"),
    _v("MLH1", "NM_000249.4", "c.350C>T", "p.(Thr117Met)", AD, "Lynch syndrome"),
    _v("LDLR", "NM_000527.5", "c.1567G>A", "p.(Val523Met)", AD, "Familial hypercholesterolaemia"),
    _v("KCNQ1", "NM_000218.3", "c.1032G>A", "p.(Ala344=)", AD, "Long QT syndrome type 1"),
    _v("APC", "NM_000038.6", "c.3927_3931del", "p.(Glu1309AspfsTer4)", AD,
       "Familial adenomatous polyposis"),
    _v("MYBPC3", "NM_000256.3", "c.1504C>T", "p.(Arg502Trp)", AD, "Hypertrophic cardiomyopathy"),
)

AMINO_ACIDS = (
    "Ala", "Arg", "Asn", "Asp", "Cys", "Gln", "Glu", "Gly", "His", "Ile", "Leu", "Lys", "Met",
    "Phe", "Pro", "Ser", "Thr", "Trp", "Tyr", "Val",
)
BASES = "ACGT"

REQUESTER_INSTITUTIONS = (
    "Cardiff University", "Swansea University", "University of Manchester",
    "Queen's University Belfast", "UCL Great Ormond Street Institute of Child Health",
    "Wellcome Sanger Institute", "University of Oxford", "Newcastle University",
    "King's College London", "University of Edinburgh", "Queen Mary University of London",
    "University of Exeter",
)

RESEARCH_DOMAINS = (  # rare disease; cancer requests come from "hereditary cancer"
    "neurodevelopmental disorders", "inherited cardiac conditions",
    "renal genetics", "ophthalmic genetics", "skeletal dysplasias", "mitochondrial disease",
    "haemoglobinopathies", "neuromuscular disease", "epilepsy genetics",
)

# What each kind of request asks, in the requester's words ({gene} and {condition} filled in).
REQUEST_ASKS: dict[RequestKind, tuple[str, ...]] = {
    RequestKind.RESEARCHER_COLLABORATION: (
        "We have found further participants with {gene} variants and a similar presentation; "
        "we would like to share the clinical features to describe the phenotype.",
        "Could the clinical team share the detailed phenotype and family history for our "
        "{condition} cohort study?",
    ),
    RequestKind.PUBLICATION: (
        "We would like to include this case, de-identified, in a case series on {condition}.",
        "We ask permission to publish the pedigree and clinical photographs in a journal "
        "article about {gene}.",
    ),
    RequestKind.EXPERT_OPINION: (
        "The clinical team asks for an expert view on whether the {gene} variant explains "
        "the presentation.",
        "Could you advise on the interpretation of the {gene} finding in this family?",
    ),
    RequestKind.CLINICAL_TRIAL: (
        "The participant may be eligible for a trial of a new treatment for {condition}; "
        "may we invite them to hear more?",
    ),
    RequestKind.PATIENT_REGISTRY: (
        "We invite the participant to join the national registry for {condition}.",
    ),
    RequestKind.SAMPLE_STORED_DNA: (
        "We ask to use the stored DNA sample to confirm the {gene} variant by a second method.",
        "We ask for an aliquot of stored DNA for functional studies of {gene}.",
    ),
    RequestKind.SAMPLE_FRESH: (
        "We ask for a fresh blood sample for RNA studies of the {gene} variant.",
        "We ask for a skin biopsy to grow fibroblasts for functional work on {gene}.",
    ),
}

STUDY_TITLES: dict[StudyType, tuple[str, ...]] = {
    StudyType.INTERVENTIONAL: (
        "A phase II trial of antisense therapy in {condition}",
        "A randomised trial of early treatment in {condition}",
    ),
    StudyType.OBSERVATIONAL: (
        "Natural history of {condition}: a ten-year cohort study",
    ),
    StudyType.PATIENT_REGISTRY: (
        "UK registry for {condition}",
    ),
    StudyType.EXPANDED_ACCESS: (
        "Expanded access programme for gene therapy in {condition}",
    ),
}

RESPONSES = {
    "accepted": (
        "The participant agreed; the team has replied to the requester.",
        "Discussed in clinic; the participant is happy to take part.",
    ),
    "declined_by_patient": (
        "The participant did not wish to take part.",
        "Discussed by phone; the participant declined.",
    ),
    "declined_by_team": (
        "Not appropriate at present: the family is adjusting to the diagnosis.",
        "The clinical team declined: the request is outside the study's stated aims.",
    ),
    "closed": (
        "Request completed and closed.",
        "Closed: the requester confirmed the work is finished.",
    ),
}
