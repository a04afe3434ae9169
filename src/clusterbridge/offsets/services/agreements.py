"""Contractors and agreements (工業合作協議書): obligations, briefings."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .. import credits as cr
from ..models import Agreement, Contractor, DemandItem
from .refusals import refuse, save_checked


def contractor_create(*, name: str, country: str, name_zh: str = "", bad_record: bool = False) -> Contractor:
    return save_checked(Contractor(name=name.strip(), name_zh=name_zh.strip(), country=country.upper(),
                            bad_record=bad_record))


def agreement_create(*, number: str, contractor: Contractor, procuring_agency: str, obligation,
                     unit: str, signed_on: dt.date, purchase_en: str = "", purchase_zh: str = "",
                     defence_share_target: int = 50, briefing_held_on: dt.date | None = None,
                     planned_items: list[DemandItem] = ()) -> Agreement:
    try:
        amount = cr.points(obligation, what="obligation")
        unit = cr.Unit(unit).value
    except (cr.CreditRuleError, ValueError) as error:
        refuse(f"agreement {number}: {error}")
    if amount <= 0:
        refuse(f"agreement {number}: the obligation must be above zero")
    if not (purchase_en or purchase_zh):
        refuse(f"agreement {number}: name the purchase case (English or Chinese)")
    with transaction.atomic():
        agreement = save_checked(Agreement(number=number.strip(), contractor=contractor, procuring_agency=procuring_agency,
                                    obligation=amount, unit=unit, signed_on=signed_on, purchase_en=purchase_en,
                                    purchase_zh=purchase_zh, defence_share_target=defence_share_target,
                                    briefing_held_on=briefing_held_on))
        if planned_items:
            agreement.planned_items.set(planned_items)
    return agreement


def agreement_briefing_record(*, agreement: Agreement, held_on: dt.date) -> Agreement:
    if held_on < agreement.signed_on:
        refuse(f"agreement {agreement.number}: the briefing cannot precede the signing ({agreement.signed_on})")
    agreement.briefing_held_on = held_on
    agreement.save(update_fields=["briefing_held_on"])
    return agreement
