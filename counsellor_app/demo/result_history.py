"""Synthetic results for one case: report versions, variants and researcher-identified trails."""

from __future__ import annotations

import datetime as dt
from random import Random

from counsellor_app.demo.clinical import (
    ADDITIONAL_FINDINGS,
    AMINO_ACIDS,
    BASES,
    CANCERS,
    RARE_DISEASES,
    SOMATIC,
    KnownVariant,
)
from counsellor_app.demo.draws import Weighted, day_between
from counsellor_app.demo.life import Ids, Life
from counsellor_app.demo.scenarios import ResultPlan, Story
from counsellor_app.domain.participant import Programme
from counsellor_app.domain.result import (
    AcmgClass,
    CounsellorState,
    InformedHow,
    ModeOfInheritance,
    Result,
    ResultKind,
    ResultOutcome,
    ReviewStage,
    Tier,
    Variant,
    Zygosity,
)

K = ResultKind
Out = ResultOutcome

_COUNT = Weighted(((1, 55), (2, 30), (3, 15)))
_INITIAL_OUTCOME = Weighted(
    ((Out.CONFIRMED_DIAGNOSIS, 25), (Out.PARTIAL_EXPLANATION, 7), (Out.NO_CAUSATIVE_VARIANT, 53),
     (Out.UNCERTAIN, 15))
)
_LATER_OUTCOME = Weighted(
    ((Out.CONFIRMED_DIAGNOSIS, 15), (Out.PARTIAL_EXPLANATION, 5), (Out.NO_CAUSATIVE_VARIANT, 60),
     (Out.UNCERTAIN, 20))
)
_LATER_KIND = Weighted(
    ((K.REANALYSIS, 40), (K.PIPELINE_IMPROVEMENT, 20), (K.RESEARCHER_IDENTIFIED, 20),
     (K.ADDITIONAL_FINDING, 20))
)
_STAGE = Weighted(
    ((ReviewStage.SUBMITTED, 20), (ReviewStage.CLINICAL_REVIEW, 20),
     (ReviewStage.RETURNED_TO_GLH, 10), (ReviewStage.NOT_RETURNED, 15),
     (ReviewStage.GLH_ASSESSMENT, 10), (ReviewStage.REPORT_REISSUED, 15),
     (ReviewStage.NOT_CONFIRMED, 10))
)
_STATE = Weighted(
    ((CounsellorState.NEW, 10), (CounsellorState.REVIEWED, 30),
     (CounsellorState.PATIENT_INFORMED, 60))
)
_HOW = Weighted(((InformedHow.LETTER, 50), (InformedHow.CLINIC, 35), (InformedHow.PHONE, 15)))
_STAGE_OUTCOME = {
    ReviewStage.REPORT_REISSUED: Out.CONFIRMED_DIAGNOSIS,
    ReviewStage.NOT_RETURNED: Out.NO_CAUSATIVE_VARIANT,
    ReviewStage.NOT_CONFIRMED: Out.NO_CAUSATIVE_VARIANT,
}
_PANEL_GENES = (
    ("NSD1", "NM_022455.5"), ("SETD5", "NM_001080517.3"), ("CHD7", "NM_017780.4"),
    ("SCN2A", "NM_021007.3"), ("TTN", "NM_001267550.2"), ("COL1A1", "NM_000088.4"),
)
_STAGE_TEXT = {
    ReviewStage.SUBMITTED: "submitted by the research network; awaiting clinical review",
    ReviewStage.CLINICAL_REVIEW: "under review by the clinical team",
    ReviewStage.RETURNED_TO_GLH: "returned to the laboratory for assessment",
    ReviewStage.NOT_RETURNED: "reviewed; not considered relevant to the referral",
    ReviewStage.GLH_ASSESSMENT: "being assessed by the laboratory",
    ReviewStage.REPORT_REISSUED: "confirmed by the laboratory; report reissued",
    ReviewStage.NOT_CONFIRMED: "the laboratory could not confirm it",
}


def random_result_plans(rng: Random, life: Life, *, parent: bool) -> tuple[ResultPlan, ...]:
    """Results drawn at random: a proband has 1-3; a parent at most an additional finding."""
    af_allowed = not ({Story.AF_DECLINED} & life.stories)
    if parent:
        if af_allowed and rng.random() < 0.12:
            return (ResultPlan(K.ADDITIONAL_FINDING, Out.CONFIRMED_DIAGNOSIS),)
        return ()
    if (life.reference_date - life.recruited).days < 120:
        return ()  # too soon: the case is still awaiting its first report
    plans = [ResultPlan(K.INITIAL_ANALYSIS, _INITIAL_OUTCOME(rng), superseded=rng.random() < 0.04)]
    for _ in range(_COUNT(rng) - 1):
        kind = _LATER_KIND(rng)
        if kind is K.ADDITIONAL_FINDING and not af_allowed:
            kind = K.REANALYSIS
        if kind is K.RESEARCHER_IDENTIFIED:
            stage = _STAGE(rng)
            plans.append(ResultPlan(kind, _STAGE_OUTCOME.get(stage, Out.UNCERTAIN),
                                    review_stage=stage))
        elif kind is K.ADDITIONAL_FINDING:
            plans.append(ResultPlan(kind, Out.CONFIRMED_DIAGNOSIS))
        else:
            plans.append(ResultPlan(kind, _LATER_OUTCOME(rng), superseded=rng.random() < 0.03))
    return tuple(plans)


class ResultWriter:
    """Turns result plans into Result records with dates that fit the participant's story."""

    def __init__(self, rng: Random, ids: Ids) -> None:
        self._rng = rng
        self._ids = ids

    def write(
        self, life: Life, case_id: str, plans: tuple[ResultPlan, ...], *, draw_states: bool
    ) -> list[Result]:
        rng = self._rng
        out: list[Result] = []
        ref = life.reference_date
        span = max((ref - life.recruited).days, 1)
        count = len(plans)
        stopped = life.first_change if Story.NO_FURTHER_USE in life.stories else None
        for index, plan in enumerate(plans):
            issued = self._issue_day(life, plan, index, count, span)
            if stopped is not None and issued >= stopped:
                break  # no further use of the data: no new analysis after the withdrawal
            variants = self._variants(life, plan)
            summary = _summary(plan, variants, life.reason)
            state, how = plan.state, plan.informed_how
            if draw_states:
                state, how = self._state(life, plan, issued)
            result_id = self._ids.result()
            if plan.superseded:
                later_id = self._ids.result()
                reissued = day_between(rng, issued + dt.timedelta(days=14),
                                       issued + dt.timedelta(days=120))
                reissued = min(reissued, ref)
                out.append(Result(
                    result_id, case_id, life.participant_id, plan.kind, plan.outcome, 1, issued,
                    summary, variants, superseded_by=later_id, review_stage=plan.review_stage,
                    counsellor_state=state, informed_how=how,
                ))
                out.append(Result(
                    later_id, case_id, life.participant_id, plan.kind, plan.outcome, 2, reissued,
                    f"Corrected report (version 2): variant nomenclature updated. {summary}",
                    variants, supersedes=result_id, review_stage=plan.review_stage,
                ))
            else:
                out.append(Result(
                    result_id, case_id, life.participant_id, plan.kind, plan.outcome, 1, issued,
                    summary, variants, review_stage=plan.review_stage,
                    counsellor_state=state, informed_how=how,
                ))
        return out

    def _issue_day(
        self, life: Life, plan: ResultPlan, index: int, count: int, span: int
    ) -> dt.date:
        rng = self._rng
        if plan.kind is K.ADDITIONAL_FINDING:
            if Story.AF_DECLINED_THEN_GRANTED in life.stories:
                return day_between(rng, life.first_change + dt.timedelta(days=7),
                                   life.reference_date)
            if Story.AF_WITHDRAWN_LATER in life.stories:
                return day_between(rng, life.recruited + dt.timedelta(days=30),
                                   life.first_change - dt.timedelta(days=14))
        if index == 0:
            low, high = 0.12, 0.3
        else:
            low = 0.35 + 0.6 * (index - 1) / count
            high = 0.35 + 0.6 * index / count
        offset = int(span * (low + (high - low) * rng.random()))
        return min(life.recruited + dt.timedelta(days=max(offset, 30)), life.reference_date)

    def _state(
        self, life: Life, plan: ResultPlan, issued: dt.date
    ) -> tuple[CounsellorState, InformedHow | None]:
        rng = self._rng
        if plan.kind is K.RESEARCHER_IDENTIFIED and plan.review_stage is not \
                ReviewStage.REPORT_REISSUED:
            return (CounsellorState.NEW if rng.random() < 0.6 else CounsellorState.REVIEWED), None
        if (life.reference_date - issued).days < 30:
            return CounsellorState.NEW, None
        state = _STATE(rng)
        blocked = life.contact_blocked_from()
        if state is CounsellorState.PATIENT_INFORMED and blocked is not None and issued >= blocked:
            state = CounsellorState.REVIEWED
        if state is CounsellorState.PATIENT_INFORMED:
            return state, _HOW(rng)
        return state, None

    def _variants(self, life: Life, plan: ResultPlan) -> tuple[Variant, ...]:
        rng = self._rng
        if plan.kind is K.ADDITIONAL_FINDING:
            known = _pick(rng, ADDITIONAL_FINDINGS, plan.variant_index)
            acmg = AcmgClass.PATHOGENIC if rng.random() < 0.7 else AcmgClass.LIKELY_PATHOGENIC
            return (_variant(known, Tier.NONE, acmg),)
        pool = _pool(life.programme, life.reason)
        somatic = life.programme is Programme.CANCER and life.reason in SOMATIC
        outcome = plan.outcome
        if outcome is Out.CONFIRMED_DIAGNOSIS and pool:
            known = _pick(rng, pool, plan.variant_index)
            acmg = AcmgClass.PATHOGENIC if rng.random() < 0.75 else AcmgClass.LIKELY_PATHOGENIC
            return (_variant(known, Tier.TIERA if somatic else Tier.TIER1, acmg),)
        if outcome is Out.PARTIAL_EXPLANATION and pool:
            known = _pick(rng, pool, plan.variant_index)
            tier = Tier.TIERB if somatic else Tier.TIER2
            return (_variant(known, tier, AcmgClass.LIKELY_PATHOGENIC),
                    self._uncertain(pool, Tier.TIER3))
        if outcome in (Out.UNCERTAIN, Out.CONFIRMED_DIAGNOSIS, Out.PARTIAL_EXPLANATION):
            return (self._uncertain(pool, Tier.TIERB if somatic else Tier.TIER2),)
        if rng.random() < 0.15:
            benign = rng.choice((AcmgClass.LIKELY_BENIGN, AcmgClass.BENIGN))
            tier = rng.choice((Tier.TIER3, Tier.TIER4, Tier.TIER5))
            return (self._uncertain(pool, tier, benign),)
        return ()

    def _uncertain(
        self,
        pool: tuple[KnownVariant, ...],
        tier: Tier,
        acmg: AcmgClass = AcmgClass.UNCERTAIN_SIGNIFICANCE,
    ) -> Variant:
        """A missense variant at a random position in a gene that could fit the referral."""
        rng = self._rng
        coding = [(v.gene, v.transcript) for v in pool if v.transcript.startswith("NM_")]
        gene, transcript = rng.choice(coding or _PANEL_GENES)
        codon = rng.randint(20, 2400)
        ref_base = rng.choice(BASES)
        alt_base = BASES[(BASES.index(ref_base) + rng.randint(1, 3)) % 4]
        ref_aa = rng.choice(AMINO_ACIDS)
        alt_aa = AMINO_ACIDS[(AMINO_ACIDS.index(ref_aa) + rng.randint(1, 19)) % 20]
        return Variant(
            gene, transcript, f"c.{codon * 3 - rng.randint(0, 2)}{ref_base}>{alt_base}",
            f"p.({ref_aa}{codon}{alt_aa})", Zygosity.HETEROZYGOUS, ModeOfInheritance.UNKNOWN,
            tier, acmg,
        )


def _pool(programme: Programme, reason: str) -> tuple[KnownVariant, ...]:
    if programme is Programme.CANCER:
        return CANCERS.get(reason) or SOMATIC.get(reason, ())
    return RARE_DISEASES.get(reason, ())


def _pick(rng: Random, pool: tuple[KnownVariant, ...], index: int | None) -> KnownVariant:
    if index is not None:
        return pool[index % len(pool)]
    return rng.choice(pool)


def _variant(known: KnownVariant, tier: Tier, acmg: AcmgClass) -> Variant:
    return Variant(known.gene, known.transcript, known.hgvs_c, known.hgvs_p, known.zygosity,
                   known.inheritance, tier, acmg, known.condition)


def _summary(plan: ResultPlan, variants: tuple[Variant, ...], reason: str) -> str:
    lead = variants[0] if variants else None
    if plan.kind is K.ADDITIONAL_FINDING and lead is not None:
        return (f"Additional finding: {lead.condition} ({lead.gene} {lead.hgvs_c}). "
                "Actionable; offer referral to the appropriate clinic.")
    if plan.kind is K.RESEARCHER_IDENTIFIED and lead is not None and plan.review_stage:
        return (f"Researcher-identified variant in {lead.gene} {lead.hgvs_c}: "
                f"{_STAGE_TEXT[plan.review_stage]}.")
    outcome = plan.outcome
    if outcome is Out.CONFIRMED_DIAGNOSIS and lead is not None:
        what = lead.condition or reason
        return f"Confirmed diagnosis: {what} ({lead.gene} {lead.hgvs_c})."
    if outcome is Out.PARTIAL_EXPLANATION and lead is not None:
        return (f"Partial explanation: a {lead.gene} variant explains part of the presentation "
                f"of {reason.lower()}.")
    if outcome is Out.UNCERTAIN and lead is not None:
        return (f"Variant of uncertain significance in {lead.gene}; not enough evidence to "
                "explain the condition. Review if new evidence emerges.")
    return f"No causative variant found in the genes analysed for {reason.lower()}."
