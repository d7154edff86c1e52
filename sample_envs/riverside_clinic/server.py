import os
from datetime import datetime, timedelta, timezone
from typing import List, Optional, Literal

from fastapi import FastAPI, Query, Path, Body, HTTPException
from pydantic import BaseModel, Field, ConfigDict
from sqlalchemy import create_engine, Column, Integer, String, Text, ForeignKey, UniqueConstraint
from sqlalchemy.orm import declarative_base, sessionmaker

DATABASE_PATH = os.environ.get("DATABASE_PATH") or "sqlite:///riverside_clinic.db"
engine = create_engine(DATABASE_PATH, connect_args={"check_same_thread": False})
SessionLocal = sessionmaker(bind=engine, autocommit=False, autoflush=False)
Base = declarative_base()

TS_FORMAT = "%Y-%m-%d %H:%M:%S"
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def now_str():
    return datetime.now(timezone.utc).strftime(TS_FORMAT)


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    full_name = Column(String, nullable=False)
    email = Column(String, nullable=False, unique=True)
    phone = Column(String)
    role = Column(String, nullable=False)
    is_active = Column(Integer, nullable=False, default=1)
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())


class Location(Base):
    __tablename__ = "locations"
    id = Column(Integer, primary_key=True)
    name = Column(String, nullable=False, unique=True)
    address_line = Column(String, nullable=False)
    city = Column(String, nullable=False)
    state = Column(String, nullable=False)
    postal_code = Column(String, nullable=False)
    phone = Column(String)
    opens_at = Column(String, nullable=False)
    closes_at = Column(String, nullable=False)
    timezone = Column(String, nullable=False, default="America/Chicago")
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())


class Room(Base):
    __tablename__ = "rooms"
    id = Column(Integer, primary_key=True)
    location_id = Column(Integer, ForeignKey("locations.id", ondelete="CASCADE"), nullable=False)
    room_code = Column(String, nullable=False)
    room_type = Column(String, nullable=False)
    is_active = Column(Integer, nullable=False, default=1)
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())
    __table_args__ = (UniqueConstraint("location_id", "room_code"),)


class Specialty(Base):
    __tablename__ = "specialties"
    id = Column(Integer, primary_key=True)
    name = Column(String, nullable=False, unique=True)
    description = Column(Text)
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())


class Provider(Base):
    __tablename__ = "providers"
    id = Column(Integer, primary_key=True)
    full_name = Column(String, nullable=False)
    credentials = Column(String, nullable=False)
    specialty_id = Column(Integer, ForeignKey("specialties.id", ondelete="RESTRICT"), nullable=False)
    primary_location_id = Column(Integer, ForeignKey("locations.id", ondelete="RESTRICT"), nullable=False)
    npi = Column(String, nullable=False, unique=True)
    email = Column(String)
    phone = Column(String)
    accepting_new_patients = Column(Integer, nullable=False, default=1)
    is_active = Column(Integer, nullable=False, default=1)
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())


class ProviderSchedule(Base):
    __tablename__ = "provider_schedules"
    id = Column(Integer, primary_key=True)
    provider_id = Column(Integer, ForeignKey("providers.id", ondelete="CASCADE"), nullable=False)
    location_id = Column(Integer, ForeignKey("locations.id", ondelete="CASCADE"), nullable=False)
    weekday = Column(Integer, nullable=False)
    start_time = Column(String, nullable=False)
    end_time = Column(String, nullable=False)
    effective_from = Column(String, nullable=False)
    effective_to = Column(String)
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())
    __table_args__ = (UniqueConstraint("provider_id", "weekday", "start_time", "effective_from"),)


class AppointmentType(Base):
    __tablename__ = "appointment_types"
    id = Column(Integer, primary_key=True)
    code = Column(String, nullable=False, unique=True)
    name = Column(String, nullable=False)
    specialty_id = Column(Integer, ForeignKey("specialties.id", ondelete="SET NULL"))
    duration_minutes = Column(Integer, nullable=False)
    requires_referral = Column(Integer, nullable=False, default=0)
    telehealth_eligible = Column(Integer, nullable=False, default=0)
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())


class InsurancePlan(Base):
    __tablename__ = "insurance_plans"
    id = Column(Integer, primary_key=True)
    payer_name = Column(String, nullable=False)
    plan_name = Column(String, nullable=False)
    plan_type = Column(String, nullable=False)
    requires_referral = Column(Integer, nullable=False, default=0)
    payer_phone = Column(String)
    is_active = Column(Integer, nullable=False, default=1)
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())
    __table_args__ = (UniqueConstraint("payer_name", "plan_name"),)


class Patient(Base):
    __tablename__ = "patients"
    id = Column(Integer, primary_key=True)
    mrn = Column(String, nullable=False, unique=True)
    first_name = Column(String, nullable=False)
    last_name = Column(String, nullable=False)
    date_of_birth = Column(String, nullable=False)
    sex = Column(String, nullable=False)
    phone = Column(String)
    email = Column(String)
    preferred_contact_method = Column(String, nullable=False, default="sms")
    preferred_location_id = Column(Integer, ForeignKey("locations.id", ondelete="SET NULL"))
    primary_provider_id = Column(Integer, ForeignKey("providers.id", ondelete="SET NULL"))
    status = Column(String, nullable=False, default="active")
    registered_by_user_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())


class PatientCoverage(Base):
    __tablename__ = "patient_coverages"
    id = Column(Integer, primary_key=True)
    patient_id = Column(Integer, ForeignKey("patients.id", ondelete="CASCADE"), nullable=False)
    plan_id = Column(Integer, ForeignKey("insurance_plans.id", ondelete="RESTRICT"), nullable=False)
    member_id = Column(String, nullable=False)
    group_number = Column(String)
    priority = Column(String, nullable=False)
    effective_date = Column(String, nullable=False)
    termination_date = Column(String)
    is_active = Column(Integer, nullable=False, default=1)
    verified_by_user_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"))
    verified_at = Column(String)
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())
    __table_args__ = (UniqueConstraint("patient_id", "plan_id", "member_id"),)


class AvailabilitySlot(Base):
    __tablename__ = "availability_slots"
    id = Column(Integer, primary_key=True)
    provider_id = Column(Integer, ForeignKey("providers.id", ondelete="CASCADE"), nullable=False)
    location_id = Column(Integer, ForeignKey("locations.id", ondelete="CASCADE"), nullable=False)
    room_id = Column(Integer, ForeignKey("rooms.id", ondelete="SET NULL"))
    start_time = Column(String, nullable=False)
    end_time = Column(String, nullable=False)
    status = Column(String, nullable=False, default="open")
    block_reason = Column(String)
    created_by_user_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())
    __table_args__ = (UniqueConstraint("provider_id", "start_time"),)


class Referral(Base):
    __tablename__ = "referrals"
    id = Column(Integer, primary_key=True)
    patient_id = Column(Integer, ForeignKey("patients.id", ondelete="CASCADE"), nullable=False)
    referring_provider_id = Column(Integer, ForeignKey("providers.id", ondelete="RESTRICT"), nullable=False)
    receiving_provider_id = Column(Integer, ForeignKey("providers.id", ondelete="SET NULL"))
    specialty_id = Column(Integer, ForeignKey("specialties.id", ondelete="RESTRICT"), nullable=False)
    urgency = Column(String, nullable=False, default="routine")
    status = Column(String, nullable=False, default="pending")
    reason = Column(Text, nullable=False)
    decline_reason = Column(Text)
    received_at = Column(String, nullable=False)
    responded_at = Column(String)
    handled_by_user_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"))
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())


class Appointment(Base):
    __tablename__ = "appointments"
    id = Column(Integer, primary_key=True)
    patient_id = Column(Integer, ForeignKey("patients.id", ondelete="CASCADE"), nullable=False)
    provider_id = Column(Integer, ForeignKey("providers.id", ondelete="RESTRICT"), nullable=False)
    appointment_type_id = Column(Integer, ForeignKey("appointment_types.id", ondelete="RESTRICT"), nullable=False)
    slot_id = Column(Integer, ForeignKey("availability_slots.id", ondelete="SET NULL"))
    location_id = Column(Integer, ForeignKey("locations.id", ondelete="RESTRICT"), nullable=False)
    room_id = Column(Integer, ForeignKey("rooms.id", ondelete="SET NULL"))
    referral_id = Column(Integer, ForeignKey("referrals.id", ondelete="SET NULL"))
    start_time = Column(String, nullable=False)
    end_time = Column(String, nullable=False)
    status = Column(String, nullable=False, default="booked")
    reason = Column(Text)
    cancel_reason = Column(Text)
    checked_in_at = Column(String)
    booked_by_user_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())


class WaitlistEntry(Base):
    __tablename__ = "waitlist_entries"
    id = Column(Integer, primary_key=True)
    patient_id = Column(Integer, ForeignKey("patients.id", ondelete="CASCADE"), nullable=False)
    provider_id = Column(Integer, ForeignKey("providers.id", ondelete="SET NULL"))
    appointment_type_id = Column(Integer, ForeignKey("appointment_types.id", ondelete="RESTRICT"), nullable=False)
    preferred_start_date = Column(String, nullable=False)
    preferred_end_date = Column(String, nullable=False)
    priority = Column(String, nullable=False, default="normal")
    status = Column(String, nullable=False, default="waiting")
    notes = Column(Text)
    added_by_user_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())


class Reminder(Base):
    __tablename__ = "reminders"
    id = Column(Integer, primary_key=True)
    appointment_id = Column(Integer, ForeignKey("appointments.id", ondelete="CASCADE"), nullable=False)
    channel = Column(String, nullable=False)
    scheduled_for = Column(String, nullable=False)
    status = Column(String, nullable=False, default="scheduled")
    message = Column(Text, nullable=False)
    sent_at = Column(String)
    created_by_user_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())


class VisitNote(Base):
    __tablename__ = "visit_notes"
    id = Column(Integer, primary_key=True)
    appointment_id = Column(Integer, ForeignKey("appointments.id", ondelete="CASCADE"), nullable=False, unique=True)
    provider_id = Column(Integer, ForeignKey("providers.id", ondelete="RESTRICT"), nullable=False)
    summary = Column(Text, nullable=False)
    diagnosis_codes = Column(String)
    follow_up_weeks = Column(Integer)
    signed_at = Column(String)
    created_at = Column(String, nullable=False, default=lambda: now_str())
    updated_at = Column(String, nullable=False, default=lambda: now_str())


Base.metadata.create_all(engine)

app = FastAPI(
    title="Riverside Clinic Scheduling API",
    description="Front-desk scheduling for Riverside Clinic: patients, coverage, providers, slots, appointments, referrals, waitlist and reminders.",
    version="1.0.0",
)


def patient_full_name(p):
    return f"{p.first_name} {p.last_name}" if p else None


def name_maps(session):
    patients = {p.id: p for p in session.query(Patient).all()}
    providers = {p.id: p for p in session.query(Provider).all()}
    locations = {loc.id: loc for loc in session.query(Location).all()}
    types = {t.id: t for t in session.query(AppointmentType).all()}
    return patients, providers, locations, types



class PatientSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Patient ID")
    mrn: str = Field(..., description="Medical record number")
    first_name: str = Field(..., description="First name")
    last_name: str = Field(..., description="Last name")
    date_of_birth: str = Field(..., description="Date of birth (YYYY-MM-DD)")
    phone: Optional[str] = Field(None, description="Phone number")
    email: Optional[str] = Field(None, description="Email address")
    preferred_contact_method: str = Field(..., description="sms, email or phone")
    preferred_location_id: Optional[int] = Field(None, description="Preferred clinic location ID")
    primary_provider_id: Optional[int] = Field(None, description="Primary care provider ID")
    status: str = Field(..., description="active, inactive or deceased")


class PatientSearchResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    patients: List[PatientSummary] = Field(..., description="Matching patients")


class PatientDetail(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Patient ID")
    mrn: str = Field(..., description="Medical record number")
    first_name: str = Field(..., description="First name")
    last_name: str = Field(..., description="Last name")
    date_of_birth: str = Field(..., description="Date of birth (YYYY-MM-DD)")
    sex: str = Field(..., description="F, M or X")
    phone: Optional[str] = Field(None, description="Phone number")
    email: Optional[str] = Field(None, description="Email address")
    preferred_contact_method: str = Field(..., description="sms, email or phone")
    preferred_location_id: Optional[int] = Field(None, description="Preferred clinic location ID")
    preferred_location_name: Optional[str] = Field(None, description="Preferred clinic location name")
    primary_provider_id: Optional[int] = Field(None, description="Primary care provider ID")
    primary_provider_name: Optional[str] = Field(None, description="Primary care provider name")
    status: str = Field(..., description="active, inactive or deceased")
    created_at: str = Field(..., description="Registration timestamp")
    updated_at: str = Field(..., description="Last update timestamp")


class PatientCreateRequest(BaseModel):
    first_name: str = Field(..., description="First name", examples=["Lucia"])
    last_name: str = Field(..., description="Last name", examples=["Moreno"])
    date_of_birth: str = Field(..., description="Date of birth (YYYY-MM-DD)", examples=["1990-05-17"])
    sex: Literal["F", "M", "X"] = Field(..., description="Sex: F, M or X", examples=["F"])
    phone: Optional[str] = Field(None, description="Phone number", examples=["555-3190"])
    email: Optional[str] = Field(None, description="Email address", examples=["lucia.moreno@mail.example"])
    preferred_contact_method: Literal["sms", "email", "phone"] = Field("sms", description="Preferred contact channel", examples=["sms"])
    preferred_location_id: Optional[int] = Field(None, description="Preferred clinic location ID", examples=[1])
    primary_provider_id: Optional[int] = Field(None, description="Primary care provider ID", examples=[1])


def patient_detail(session, p):
    loc = session.query(Location).filter(Location.id == p.preferred_location_id).first() if p.preferred_location_id else None
    prov = session.query(Provider).filter(Provider.id == p.primary_provider_id).first() if p.primary_provider_id else None
    return PatientDetail(
        id=p.id,
        mrn=p.mrn,
        first_name=p.first_name,
        last_name=p.last_name,
        date_of_birth=p.date_of_birth,
        sex=p.sex,
        phone=p.phone,
        email=p.email,
        preferred_contact_method=p.preferred_contact_method,
        preferred_location_id=p.preferred_location_id,
        preferred_location_name=loc.name if loc else None,
        primary_provider_id=p.primary_provider_id,
        primary_provider_name=prov.full_name if prov else None,
        status=p.status,
        created_at=str(p.created_at),
        updated_at=str(p.updated_at),
    )


@app.get(
    "/api/patients",
    summary="Search patients by name, MRN or date of birth",
    description="Find patients whose name contains the given text and/or whose MRN or date of birth matches exactly.",
    tags=["patients"],
    operation_id="search_patients",
    response_model=PatientSearchResponse,
)
async def search_patients(
    name: Optional[str] = Query(None, description="Part of the first, last or full name"),
    mrn: Optional[str] = Query(None, description="Exact medical record number"),
    date_of_birth: Optional[str] = Query(None, description="Exact date of birth (YYYY-MM-DD)"),
    status: Optional[str] = Query(None, description="Filter by patient status"),
):
    session = SessionLocal()
    q = session.query(Patient)
    if mrn:
        q = q.filter(Patient.mrn == mrn)
    if date_of_birth:
        q = q.filter(Patient.date_of_birth == date_of_birth)
    if status:
        q = q.filter(Patient.status == status)
    rows = q.order_by(Patient.last_name, Patient.first_name).all()
    if name:
        needle = name.strip().lower()
        rows = [p for p in rows if needle in f"{p.first_name} {p.last_name}".lower()]
    result = [PatientSummary.model_validate(p) for p in rows]
    session.close()
    return PatientSearchResponse(patients=result)


@app.get(
    "/api/patients/{patient_id}",
    summary="Get a patient's full profile",
    description="Return demographics, contact preferences, preferred location and primary provider for one patient.",
    tags=["patients"],
    operation_id="get_patient",
    response_model=PatientDetail,
)
async def get_patient(patient_id: int = Path(..., description="Patient ID")):
    session = SessionLocal()
    p = session.query(Patient).filter(Patient.id == patient_id).first()
    if p is None:
        session.close()
        raise HTTPException(status_code=404, detail="Patient not found")
    result = patient_detail(session, p)
    session.close()
    return result


@app.post(
    "/api/patients",
    summary="Register a new patient",
    description="Create a patient record registered by the current user; the MRN is assigned automatically.",
    tags=["patients"],
    operation_id="create_patient",
    response_model=PatientDetail,
)
async def create_patient(body: PatientCreateRequest = Body(...)):
    session = SessionLocal()
    numbers = [int(p.mrn.split("-")[1]) for p in session.query(Patient).all()]
    next_number = max(numbers) + 1 if numbers else 100001
    p = Patient(
        mrn=f"RC-{next_number}",
        first_name=body.first_name,
        last_name=body.last_name,
        date_of_birth=body.date_of_birth,
        sex=body.sex,
        phone=body.phone,
        email=body.email,
        preferred_contact_method=body.preferred_contact_method,
        preferred_location_id=body.preferred_location_id,
        primary_provider_id=body.primary_provider_id,
        status="active",
        registered_by_user_id=1,
        created_at=now_str(),
        updated_at=now_str(),
    )
    session.add(p)
    session.commit()
    session.refresh(p)
    result = patient_detail(session, p)
    session.close()
    return result



class InsurancePlanOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Plan ID")
    payer_name: str = Field(..., description="Insurance company")
    plan_name: str = Field(..., description="Plan name")
    plan_type: str = Field(..., description="HMO, PPO, EPO, Medicare, Medicaid or self_pay")
    requires_referral: bool = Field(..., description="Whether specialist visits need a referral")
    payer_phone: Optional[str] = Field(None, description="Payer phone number")
    is_active: bool = Field(..., description="Whether the plan is accepted")


class InsurancePlanListResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    plans: List[InsurancePlanOut] = Field(..., description="Insurance plans")


class CoverageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Coverage record ID")
    patient_id: int = Field(..., description="Patient ID")
    plan_id: int = Field(..., description="Insurance plan ID")
    payer_name: Optional[str] = Field(None, description="Insurance company")
    plan_name: Optional[str] = Field(None, description="Plan name")
    plan_type: Optional[str] = Field(None, description="Plan type")
    member_id: str = Field(..., description="Member ID on the card")
    group_number: Optional[str] = Field(None, description="Group number")
    priority: str = Field(..., description="primary or secondary")
    effective_date: str = Field(..., description="Coverage start date")
    termination_date: Optional[str] = Field(None, description="Coverage end date, if terminated")
    is_active: bool = Field(..., description="Whether the coverage is currently active")
    verified_at: Optional[str] = Field(None, description="When eligibility was last verified")


class CoverageListResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    patient_id: int = Field(..., description="Patient ID")
    coverages: List[CoverageOut] = Field(..., description="Coverage records on file")


class CoverageCreateRequest(BaseModel):
    plan_id: int = Field(..., description="Insurance plan ID", examples=[3])
    member_id: str = Field(..., description="Member ID on the card", examples=["SMT-55900112"])
    group_number: Optional[str] = Field(None, description="Group number", examples=["SM-7710"])
    priority: Literal["primary", "secondary"] = Field("primary", description="primary or secondary", examples=["primary"])
    effective_date: str = Field(..., description="Coverage start date (YYYY-MM-DD)", examples=["2026-04-01"])
    termination_date: Optional[str] = Field(None, description="Coverage end date (YYYY-MM-DD)", examples=[None])


def coverage_out(c, plan):
    return CoverageOut(
        id=c.id,
        patient_id=c.patient_id,
        plan_id=c.plan_id,
        payer_name=plan.payer_name if plan else None,
        plan_name=plan.plan_name if plan else None,
        plan_type=plan.plan_type if plan else None,
        member_id=c.member_id,
        group_number=c.group_number,
        priority=c.priority,
        effective_date=c.effective_date,
        termination_date=c.termination_date,
        is_active=bool(c.is_active),
        verified_at=c.verified_at,
    )


@app.get(
    "/api/insurance-plans",
    summary="List insurance plans accepted by the clinic",
    description="Return the insurance plans on file, optionally filtered by plan type.",
    tags=["insurance"],
    operation_id="list_insurance_plans",
    response_model=InsurancePlanListResponse,
)
async def list_insurance_plans(plan_type: Optional[str] = Query(None, description="Filter by plan type, e.g. PPO")):
    session = SessionLocal()
    q = session.query(InsurancePlan)
    if plan_type:
        q = q.filter(InsurancePlan.plan_type == plan_type)
    plans = [
        InsurancePlanOut(
            id=p.id,
            payer_name=p.payer_name,
            plan_name=p.plan_name,
            plan_type=p.plan_type,
            requires_referral=bool(p.requires_referral),
            payer_phone=p.payer_phone,
            is_active=bool(p.is_active),
        )
        for p in q.order_by(InsurancePlan.id).all()
    ]
    session.close()
    return InsurancePlanListResponse(plans=plans)


@app.get(
    "/api/patients/{patient_id}/coverages",
    summary="List a patient's insurance coverage records",
    description="Return every coverage record for the patient with plan details; set active_only to hide terminated policies.",
    tags=["insurance"],
    operation_id="list_patient_coverages",
    response_model=CoverageListResponse,
)
async def list_patient_coverages(
    patient_id: int = Path(..., description="Patient ID"),
    active_only: bool = Query(False, description="Only return active coverage"),
):
    session = SessionLocal()
    q = session.query(PatientCoverage).filter(PatientCoverage.patient_id == patient_id)
    if active_only:
        q = q.filter(PatientCoverage.is_active == 1)
    plans = {p.id: p for p in session.query(InsurancePlan).all()}
    items = [coverage_out(c, plans.get(c.plan_id)) for c in q.order_by(PatientCoverage.id).all()]
    session.close()
    return CoverageListResponse(patient_id=patient_id, coverages=items)


@app.post(
    "/api/patients/{patient_id}/coverages",
    summary="Add an insurance coverage record to a patient",
    description="Attach a plan and member ID to a patient as primary or secondary coverage, verified by the current user.",
    tags=["insurance"],
    operation_id="add_patient_coverage",
    response_model=CoverageOut,
)
async def add_patient_coverage(
    patient_id: int = Path(..., description="Patient ID"),
    body: CoverageCreateRequest = Body(...),
):
    session = SessionLocal()
    patient = session.query(Patient).filter(Patient.id == patient_id).first()
    plan = session.query(InsurancePlan).filter(InsurancePlan.id == body.plan_id).first()
    if patient is None or plan is None:
        session.close()
        raise HTTPException(status_code=404, detail="Patient or insurance plan not found")
    if body.termination_date and body.termination_date < body.effective_date:
        session.close()
        raise HTTPException(status_code=400, detail="termination_date must not be before effective_date")
    existing = (
        session.query(PatientCoverage)
        .filter(
            PatientCoverage.patient_id == patient_id,
            PatientCoverage.plan_id == body.plan_id,
            PatientCoverage.member_id == body.member_id,
        )
        .first()
    )
    if existing is not None:
        session.close()
        raise HTTPException(status_code=409, detail="This coverage is already on file")
    c = PatientCoverage(
        patient_id=patient_id,
        plan_id=body.plan_id,
        member_id=body.member_id,
        group_number=body.group_number,
        priority=body.priority,
        effective_date=body.effective_date,
        termination_date=body.termination_date,
        is_active=0 if body.termination_date else 1,
        verified_by_user_id=1,
        verified_at=now_str(),
        created_at=now_str(),
        updated_at=now_str(),
    )
    session.add(c)
    session.commit()
    session.refresh(c)
    result = coverage_out(c, plan)
    session.close()
    return result



class SpecialtyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Specialty ID")
    name: str = Field(..., description="Specialty name")
    description: Optional[str] = Field(None, description="What the specialty covers")


class SpecialtyListResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    specialties: List[SpecialtyOut] = Field(..., description="Specialties")


class ProviderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Provider ID")
    full_name: str = Field(..., description="Provider name")
    credentials: str = Field(..., description="Credentials, e.g. MD")
    specialty_id: int = Field(..., description="Specialty ID")
    specialty_name: Optional[str] = Field(None, description="Specialty name")
    primary_location_id: int = Field(..., description="Home location ID")
    primary_location_name: Optional[str] = Field(None, description="Home location name")
    accepting_new_patients: bool = Field(..., description="Whether the provider accepts new patients")
    phone: Optional[str] = Field(None, description="Office phone")
    email: Optional[str] = Field(None, description="Office email")


class ProviderListResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    providers: List[ProviderOut] = Field(..., description="Providers")


class ScheduleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Schedule row ID")
    location_id: int = Field(..., description="Location ID")
    location_name: Optional[str] = Field(None, description="Location name")
    weekday: int = Field(..., description="0=Monday ... 6=Sunday")
    weekday_name: str = Field(..., description="Day name")
    start_time: str = Field(..., description="Shift start (HH:MM)")
    end_time: str = Field(..., description="Shift end (HH:MM)")
    effective_from: str = Field(..., description="First date the template applies")
    effective_to: Optional[str] = Field(None, description="Last date the template applies")


class ProviderScheduleResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    provider_id: int = Field(..., description="Provider ID")
    provider_name: str = Field(..., description="Provider name")
    schedules: List[ScheduleOut] = Field(..., description="Weekly working hours")


class LocationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Location ID")
    name: str = Field(..., description="Location name")
    address_line: str = Field(..., description="Street address")
    city: str = Field(..., description="City")
    state: str = Field(..., description="State")
    postal_code: str = Field(..., description="ZIP code")
    phone: Optional[str] = Field(None, description="Front desk phone")
    opens_at: str = Field(..., description="Opening time (HH:MM)")
    closes_at: str = Field(..., description="Closing time (HH:MM)")
    timezone: str = Field(..., description="IANA time zone")


class LocationListResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    locations: List[LocationOut] = Field(..., description="Clinic locations")


class RoomOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Room ID")
    room_code: str = Field(..., description="Room code")
    room_type: str = Field(..., description="exam, procedure, consult or telehealth")
    is_active: bool = Field(..., description="Whether the room is in use")


class RoomListResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    location_id: int = Field(..., description="Location ID")
    rooms: List[RoomOut] = Field(..., description="Rooms at the location")


def provider_out(p, specialties, locations):
    sp = specialties.get(p.specialty_id)
    loc = locations.get(p.primary_location_id)
    return ProviderOut(
        id=p.id,
        full_name=p.full_name,
        credentials=p.credentials,
        specialty_id=p.specialty_id,
        specialty_name=sp.name if sp else None,
        primary_location_id=p.primary_location_id,
        primary_location_name=loc.name if loc else None,
        accepting_new_patients=bool(p.accepting_new_patients),
        phone=p.phone,
        email=p.email,
    )


@app.get(
    "/api/specialties",
    summary="List medical specialties",
    description="Return all specialties offered by the clinic.",
    tags=["providers"],
    operation_id="list_specialties",
    response_model=SpecialtyListResponse,
)
async def list_specialties():
    session = SessionLocal()
    items = [SpecialtyOut.model_validate(s) for s in session.query(Specialty).order_by(Specialty.id).all()]
    session.close()
    return SpecialtyListResponse(specialties=items)


@app.get(
    "/api/providers",
    summary="List providers with optional filters",
    description="Find providers by name text, specialty, home location or whether they accept new patients.",
    tags=["providers"],
    operation_id="list_providers",
    response_model=ProviderListResponse,
)
async def list_providers(
    name: Optional[str] = Query(None, description="Part of the provider name"),
    specialty_id: Optional[int] = Query(None, description="Specialty ID"),
    location_id: Optional[int] = Query(None, description="Home location ID"),
    accepting_new_patients: Optional[bool] = Query(None, description="Only providers accepting new patients"),
):
    session = SessionLocal()
    q = session.query(Provider).filter(Provider.is_active == 1)
    if specialty_id is not None:
        q = q.filter(Provider.specialty_id == specialty_id)
    if location_id is not None:
        q = q.filter(Provider.primary_location_id == location_id)
    if accepting_new_patients is not None:
        q = q.filter(Provider.accepting_new_patients == (1 if accepting_new_patients else 0))
    rows = q.order_by(Provider.id).all()
    if name:
        rows = [p for p in rows if name.strip().lower() in p.full_name.lower()]
    specialties = {s.id: s for s in session.query(Specialty).all()}
    locations = {loc.id: loc for loc in session.query(Location).all()}
    items = [provider_out(p, specialties, locations) for p in rows]
    session.close()
    return ProviderListResponse(providers=items)


@app.get(
    "/api/providers/{provider_id}/schedules",
    summary="Get a provider's weekly working hours",
    description="Return the weekly schedule templates (weekday, hours, location) that bound where slots can be opened.",
    tags=["providers"],
    operation_id="get_provider_schedule",
    response_model=ProviderScheduleResponse,
)
async def get_provider_schedule(provider_id: int = Path(..., description="Provider ID")):
    session = SessionLocal()
    provider = session.query(Provider).filter(Provider.id == provider_id).first()
    if provider is None:
        session.close()
        raise HTTPException(status_code=404, detail="Provider not found")
    locations = {loc.id: loc for loc in session.query(Location).all()}
    rows = (
        session.query(ProviderSchedule)
        .filter(ProviderSchedule.provider_id == provider_id)
        .order_by(ProviderSchedule.weekday, ProviderSchedule.start_time)
        .all()
    )
    items = [
        ScheduleOut(
            id=s.id,
            location_id=s.location_id,
            location_name=locations[s.location_id].name if s.location_id in locations else None,
            weekday=s.weekday,
            weekday_name=WEEKDAY_NAMES[s.weekday],
            start_time=s.start_time,
            end_time=s.end_time,
            effective_from=s.effective_from,
            effective_to=s.effective_to,
        )
        for s in rows
    ]
    result = ProviderScheduleResponse(provider_id=provider.id, provider_name=provider.full_name, schedules=items)
    session.close()
    return result


@app.get(
    "/api/locations",
    summary="List clinic locations",
    description="Return every clinic site with address, phone and opening hours.",
    tags=["locations"],
    operation_id="list_locations",
    response_model=LocationListResponse,
)
async def list_locations():
    session = SessionLocal()
    items = [LocationOut.model_validate(loc) for loc in session.query(Location).order_by(Location.id).all()]
    session.close()
    return LocationListResponse(locations=items)


@app.get(
    "/api/locations/{location_id}/rooms",
    summary="List rooms at a location",
    description="Return exam, procedure, consult and telehealth rooms at one location, optionally filtered by room type.",
    tags=["locations"],
    operation_id="list_location_rooms",
    response_model=RoomListResponse,
)
async def list_location_rooms(
    location_id: int = Path(..., description="Location ID"),
    room_type: Optional[str] = Query(None, description="exam, procedure, consult or telehealth"),
):
    session = SessionLocal()
    q = session.query(Room).filter(Room.location_id == location_id)
    if room_type:
        q = q.filter(Room.room_type == room_type)
    items = [
        RoomOut(id=r.id, room_code=r.room_code, room_type=r.room_type, is_active=bool(r.is_active))
        for r in q.order_by(Room.room_code).all()
    ]
    session.close()
    return RoomListResponse(location_id=location_id, rooms=items)



class SlotOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Slot ID")
    provider_id: int = Field(..., description="Provider ID")
    provider_name: Optional[str] = Field(None, description="Provider name")
    location_id: int = Field(..., description="Location ID")
    room_id: Optional[int] = Field(None, description="Room ID")
    room_code: Optional[str] = Field(None, description="Room code")
    start_time: str = Field(..., description="Slot start (YYYY-MM-DD HH:MM:SS)")
    end_time: str = Field(..., description="Slot end (YYYY-MM-DD HH:MM:SS)")
    status: str = Field(..., description="open, booked or blocked")
    block_reason: Optional[str] = Field(None, description="Why the slot is blocked")


class SlotListResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    slots: List[SlotOut] = Field(..., description="Availability slots ordered by start time")


class SlotCreateRequest(BaseModel):
    provider_id: int = Field(..., description="Provider ID", examples=[1])
    location_id: int = Field(..., description="Location ID", examples=[1])
    room_id: Optional[int] = Field(None, description="Room ID", examples=[2])
    start_time: str = Field(..., description="Slot start (YYYY-MM-DD HH:MM:SS)", examples=["2026-04-17 11:00:00"])
    end_time: str = Field(..., description="Slot end (YYYY-MM-DD HH:MM:SS)", examples=["2026-04-17 11:20:00"])


class SlotUpdateRequest(BaseModel):
    status: Literal["open", "blocked"] = Field(..., description="open or blocked", examples=["blocked"])
    block_reason: Optional[str] = Field(None, description="Reason when blocking", examples=["Provider at conference"])


def slot_out(session, s):
    provider = session.query(Provider).filter(Provider.id == s.provider_id).first()
    room = session.query(Room).filter(Room.id == s.room_id).first() if s.room_id else None
    return SlotOut(
        id=s.id,
        provider_id=s.provider_id,
        provider_name=provider.full_name if provider else None,
        location_id=s.location_id,
        room_id=s.room_id,
        room_code=room.room_code if room else None,
        start_time=s.start_time,
        end_time=s.end_time,
        status=s.status,
        block_reason=s.block_reason,
    )


@app.get(
    "/api/availability-slots",
    summary="List availability slots for providers",
    description="Find bookable slots filtered by provider, location, calendar date (YYYY-MM-DD) and status (open, booked, blocked).",
    tags=["availability"],
    operation_id="list_availability_slots",
    response_model=SlotListResponse,
)
async def list_availability_slots(
    provider_id: Optional[int] = Query(None, description="Provider ID"),
    location_id: Optional[int] = Query(None, description="Location ID"),
    date: Optional[str] = Query(None, description="Calendar date (YYYY-MM-DD)"),
    status: Optional[str] = Query(None, description="open, booked or blocked"),
):
    session = SessionLocal()
    q = session.query(AvailabilitySlot)
    if provider_id is not None:
        q = q.filter(AvailabilitySlot.provider_id == provider_id)
    if location_id is not None:
        q = q.filter(AvailabilitySlot.location_id == location_id)
    if date:
        q = q.filter(AvailabilitySlot.start_time.like(f"{date}%"))
    if status:
        q = q.filter(AvailabilitySlot.status == status)
    items = [slot_out(session, s) for s in q.order_by(AvailabilitySlot.start_time, AvailabilitySlot.id).all()]
    session.close()
    return SlotListResponse(slots=items)


@app.post(
    "/api/availability-slots",
    summary="Open a new availability slot for a provider",
    description="Create an open slot; it must fall inside one of the provider's weekly schedule blocks at that location.",
    tags=["availability"],
    operation_id="create_availability_slot",
    response_model=SlotOut,
)
async def create_availability_slot(body: SlotCreateRequest = Body(...)):
    session = SessionLocal()
    start = datetime.fromisoformat(body.start_time)
    end = datetime.fromisoformat(body.end_time)
    if end <= start:
        session.close()
        raise HTTPException(status_code=400, detail="end_time must be after start_time")
    day = start.strftime("%Y-%m-%d")
    schedules = (
        session.query(ProviderSchedule)
        .filter(
            ProviderSchedule.provider_id == body.provider_id,
            ProviderSchedule.location_id == body.location_id,
            ProviderSchedule.weekday == start.weekday(),
        )
        .all()
    )
    fits = [
        s for s in schedules
        if s.start_time <= start.strftime("%H:%M") and end.strftime("%H:%M") <= s.end_time
        and s.effective_from <= day and (s.effective_to is None or day <= s.effective_to)
    ]
    if not fits:
        session.close()
        raise HTTPException(status_code=400, detail="Slot is outside the provider's working schedule at this location")
    clash = (
        session.query(AvailabilitySlot)
        .filter(AvailabilitySlot.provider_id == body.provider_id, AvailabilitySlot.start_time == start.strftime(TS_FORMAT))
        .first()
    )
    if clash is not None:
        session.close()
        raise HTTPException(status_code=409, detail="The provider already has a slot starting at this time")
    s = AvailabilitySlot(
        provider_id=body.provider_id,
        location_id=body.location_id,
        room_id=body.room_id,
        start_time=start.strftime(TS_FORMAT),
        end_time=end.strftime(TS_FORMAT),
        status="open",
        created_by_user_id=1,
        created_at=now_str(),
        updated_at=now_str(),
    )
    session.add(s)
    session.commit()
    session.refresh(s)
    result = slot_out(session, s)
    session.close()
    return result


@app.patch(
    "/api/availability-slots/{slot_id}",
    summary="Block or reopen an availability slot",
    description="Set a slot to blocked (with a reason) or back to open. Booked slots cannot be changed here.",
    tags=["availability"],
    operation_id="update_availability_slot",
    response_model=SlotOut,
)
async def update_availability_slot(
    slot_id: int = Path(..., description="Slot ID"),
    body: SlotUpdateRequest = Body(...),
):
    session = SessionLocal()
    s = session.query(AvailabilitySlot).filter(AvailabilitySlot.id == slot_id).first()
    if s is None:
        session.close()
        raise HTTPException(status_code=404, detail="Slot not found")
    if s.status == "booked":
        session.close()
        raise HTTPException(status_code=409, detail="Slot is booked; cancel or reschedule the appointment first")
    s.status = body.status
    s.block_reason = body.block_reason if body.status == "blocked" else None
    s.updated_at = now_str()
    session.commit()
    session.refresh(s)
    result = slot_out(session, s)
    session.close()
    return result



class AppointmentTypeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Appointment type ID")
    code: str = Field(..., description="Short code, e.g. PC-SICK")
    name: str = Field(..., description="Visit type name")
    specialty_id: Optional[int] = Field(None, description="Specialty ID")
    specialty_name: Optional[str] = Field(None, description="Specialty name")
    duration_minutes: int = Field(..., description="Default length in minutes")
    requires_referral: bool = Field(..., description="Whether a referral is required")
    telehealth_eligible: bool = Field(..., description="Whether it can be done by video")


class AppointmentTypeListResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    appointment_types: List[AppointmentTypeOut] = Field(..., description="Appointment types")


@app.get(
    "/api/appointment-types",
    summary="List appointment types and durations",
    description="Return visit types with codes, durations and referral requirements, optionally filtered by specialty.",
    tags=["appointment_types"],
    operation_id="list_appointment_types",
    response_model=AppointmentTypeListResponse,
)
async def list_appointment_types(specialty_id: Optional[int] = Query(None, description="Specialty ID")):
    session = SessionLocal()
    q = session.query(AppointmentType)
    if specialty_id is not None:
        q = q.filter(AppointmentType.specialty_id == specialty_id)
    specialties = {s.id: s for s in session.query(Specialty).all()}
    items = [
        AppointmentTypeOut(
            id=t.id,
            code=t.code,
            name=t.name,
            specialty_id=t.specialty_id,
            specialty_name=specialties[t.specialty_id].name if t.specialty_id in specialties else None,
            duration_minutes=t.duration_minutes,
            requires_referral=bool(t.requires_referral),
            telehealth_eligible=bool(t.telehealth_eligible),
        )
        for t in q.order_by(AppointmentType.id).all()
    ]
    session.close()
    return AppointmentTypeListResponse(appointment_types=items)



class AppointmentSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Appointment ID")
    patient_id: int = Field(..., description="Patient ID")
    patient_name: Optional[str] = Field(None, description="Patient name")
    provider_id: int = Field(..., description="Provider ID")
    provider_name: Optional[str] = Field(None, description="Provider name")
    appointment_type_id: int = Field(..., description="Appointment type ID")
    appointment_type_name: Optional[str] = Field(None, description="Appointment type name")
    slot_id: Optional[int] = Field(None, description="Availability slot ID")
    location_id: int = Field(..., description="Location ID")
    location_name: Optional[str] = Field(None, description="Location name")
    room_id: Optional[int] = Field(None, description="Room ID")
    referral_id: Optional[int] = Field(None, description="Linked referral ID")
    start_time: str = Field(..., description="Start (YYYY-MM-DD HH:MM:SS)")
    end_time: str = Field(..., description="End (YYYY-MM-DD HH:MM:SS)")
    status: str = Field(..., description="booked, checked_in, completed, cancelled or no_show")
    reason: Optional[str] = Field(None, description="Reason for visit")


class AppointmentListResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    appointments: List[AppointmentSummary] = Field(..., description="Appointments ordered by start time")


class AppointmentDetail(AppointmentSummary):
    cancel_reason: Optional[str] = Field(None, description="Why the visit was cancelled")
    checked_in_at: Optional[str] = Field(None, description="Arrival time")
    booked_by_user_id: int = Field(..., description="Staff user who booked it")
    created_at: str = Field(..., description="Creation timestamp")
    updated_at: str = Field(..., description="Last update timestamp")


class AppointmentCreateRequest(BaseModel):
    patient_id: int = Field(..., description="Patient ID", examples=[3])
    appointment_type_id: int = Field(..., description="Appointment type ID", examples=[3])
    slot_id: int = Field(..., description="Open availability slot to book", examples=[16])
    referral_id: Optional[int] = Field(None, description="Referral that authorises the visit", examples=[1])
    reason: Optional[str] = Field(None, description="Reason for visit", examples=["Exertional chest tightness"])


class RescheduleRequest(BaseModel):
    new_slot_id: Optional[int] = Field(None, description="Open slot to move the visit into", examples=[11])
    new_start_time: Optional[str] = Field(None, description="New start (YYYY-MM-DD HH:MM:SS) when not using a slot", examples=["2026-04-17 15:00:00"])
    new_end_time: Optional[str] = Field(None, description="New end (YYYY-MM-DD HH:MM:SS) when not using a slot", examples=["2026-04-17 15:20:00"])


class RescheduleResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    appointment: AppointmentDetail = Field(..., description="The moved appointment")
    previous_start_time: str = Field(..., description="Start time before the move")
    previous_slot_id: Optional[int] = Field(None, description="Slot released by the move")
    cancelled_reminder_ids: List[int] = Field(..., description="Scheduled reminders cancelled because the time changed")


class CancelRequest(BaseModel):
    reason: str = Field(..., description="Cancellation reason", examples=["Patient traveling out of state"])


class StatusUpdateRequest(BaseModel):
    status: Literal["booked", "checked_in", "completed", "no_show"] = Field(..., description="New status", examples=["no_show"])


def appointment_detail(session, a):
    patient = session.query(Patient).filter(Patient.id == a.patient_id).first()
    provider = session.query(Provider).filter(Provider.id == a.provider_id).first()
    atype = session.query(AppointmentType).filter(AppointmentType.id == a.appointment_type_id).first()
    loc = session.query(Location).filter(Location.id == a.location_id).first()
    return AppointmentDetail(
        id=a.id,
        patient_id=a.patient_id,
        patient_name=patient_full_name(patient),
        provider_id=a.provider_id,
        provider_name=provider.full_name if provider else None,
        appointment_type_id=a.appointment_type_id,
        appointment_type_name=atype.name if atype else None,
        slot_id=a.slot_id,
        location_id=a.location_id,
        location_name=loc.name if loc else None,
        room_id=a.room_id,
        referral_id=a.referral_id,
        start_time=a.start_time,
        end_time=a.end_time,
        status=a.status,
        reason=a.reason,
        cancel_reason=a.cancel_reason,
        checked_in_at=a.checked_in_at,
        booked_by_user_id=a.booked_by_user_id,
        created_at=str(a.created_at),
        updated_at=str(a.updated_at),
    )


@app.get(
    "/api/appointments",
    summary="List appointments with filters",
    description="Find appointments by patient, provider, location, calendar date (YYYY-MM-DD) or status, ordered by start time.",
    tags=["appointments"],
    operation_id="list_appointments",
    response_model=AppointmentListResponse,
)
async def list_appointments(
    patient_id: Optional[int] = Query(None, description="Patient ID"),
    provider_id: Optional[int] = Query(None, description="Provider ID"),
    location_id: Optional[int] = Query(None, description="Location ID"),
    date: Optional[str] = Query(None, description="Calendar date (YYYY-MM-DD)"),
    status: Optional[str] = Query(None, description="booked, checked_in, completed, cancelled or no_show"),
):
    session = SessionLocal()
    q = session.query(Appointment)
    if patient_id is not None:
        q = q.filter(Appointment.patient_id == patient_id)
    if provider_id is not None:
        q = q.filter(Appointment.provider_id == provider_id)
    if location_id is not None:
        q = q.filter(Appointment.location_id == location_id)
    if date:
        q = q.filter(Appointment.start_time.like(f"{date}%"))
    if status:
        q = q.filter(Appointment.status == status)
    patients, providers, locations, types = name_maps(session)
    items = []
    for a in q.order_by(Appointment.start_time, Appointment.id).all():
        items.append(
            AppointmentSummary(
                id=a.id,
                patient_id=a.patient_id,
                patient_name=patient_full_name(patients.get(a.patient_id)),
                provider_id=a.provider_id,
                provider_name=providers[a.provider_id].full_name if a.provider_id in providers else None,
                appointment_type_id=a.appointment_type_id,
                appointment_type_name=types[a.appointment_type_id].name if a.appointment_type_id in types else None,
                slot_id=a.slot_id,
                location_id=a.location_id,
                location_name=locations[a.location_id].name if a.location_id in locations else None,
                room_id=a.room_id,
                referral_id=a.referral_id,
                start_time=a.start_time,
                end_time=a.end_time,
                status=a.status,
                reason=a.reason,
            )
        )
    session.close()
    return AppointmentListResponse(appointments=items)


@app.get(
    "/api/appointments/{appointment_id}",
    summary="Get one appointment",
    description="Return full details of an appointment including cancellation reason and check-in time.",
    tags=["appointments"],
    operation_id="get_appointment",
    response_model=AppointmentDetail,
)
async def get_appointment(appointment_id: int = Path(..., description="Appointment ID")):
    session = SessionLocal()
    a = session.query(Appointment).filter(Appointment.id == appointment_id).first()
    if a is None:
        session.close()
        raise HTTPException(status_code=404, detail="Appointment not found")
    result = appointment_detail(session, a)
    session.close()
    return result


@app.post(
    "/api/appointments",
    summary="Book an appointment into an availability slot",
    description="Book a patient into a provider slot; provider, location, room and times come from the slot. Marks the slot booked.",
    tags=["appointments"],
    operation_id="create_appointment",
    response_model=AppointmentDetail,
)
async def create_appointment(body: AppointmentCreateRequest = Body(...)):
    session = SessionLocal()
    slot = session.query(AvailabilitySlot).filter(AvailabilitySlot.id == body.slot_id).first()
    patient = session.query(Patient).filter(Patient.id == body.patient_id).first()
    atype = session.query(AppointmentType).filter(AppointmentType.id == body.appointment_type_id).first()
    if slot is None or patient is None or atype is None:
        session.close()
        raise HTTPException(status_code=404, detail="Slot, patient or appointment type not found")
    start = datetime.strptime(slot.start_time, TS_FORMAT)
    end = start + timedelta(minutes=atype.duration_minutes)
    a = Appointment(
        patient_id=body.patient_id,
        provider_id=slot.provider_id,
        appointment_type_id=body.appointment_type_id,
        slot_id=slot.id,
        location_id=slot.location_id,
        room_id=slot.room_id,
        referral_id=body.referral_id,
        start_time=slot.start_time,
        end_time=end.strftime(TS_FORMAT),
        status="booked",
        reason=body.reason,
        booked_by_user_id=1,
        created_at=now_str(),
        updated_at=now_str(),
    )
    session.add(a)
    slot.status = "booked"
    slot.updated_at = now_str()
    if body.referral_id is not None:
        referral = session.query(Referral).filter(Referral.id == body.referral_id).first()
        if referral is not None:
            referral.status = "scheduled"
            referral.responded_at = referral.responded_at or now_str()
            referral.handled_by_user_id = 1
            referral.updated_at = now_str()
    session.commit()
    session.refresh(a)
    result = appointment_detail(session, a)
    session.close()
    return result


@app.post(
    "/api/appointments/{appointment_id}/reschedule",
    summary="Move an appointment to a new slot or time",
    description="Move a visit into another open slot (preferred) or to an explicit start/end time; frees the old slot and cancels pending reminders.",
    tags=["appointments"],
    operation_id="reschedule_appointment",
    response_model=RescheduleResponse,
)
async def reschedule_appointment(
    appointment_id: int = Path(..., description="Appointment ID"),
    body: RescheduleRequest = Body(...),
):
    session = SessionLocal()
    a = session.query(Appointment).filter(Appointment.id == appointment_id).first()
    if a is None:
        session.close()
        raise HTTPException(status_code=404, detail="Appointment not found")
    previous_start = a.start_time
    previous_slot_id = a.slot_id
    if body.new_slot_id is not None:
        new_slot = session.query(AvailabilitySlot).filter(AvailabilitySlot.id == body.new_slot_id).first()
        if new_slot is None:
            session.close()
            raise HTTPException(status_code=404, detail="Slot not found")
        if new_slot.status != "open":
            session.close()
            raise HTTPException(status_code=409, detail="Slot is not open")
        atype = session.query(AppointmentType).filter(AppointmentType.id == a.appointment_type_id).first()
        start = datetime.strptime(new_slot.start_time, TS_FORMAT)
        a.start_time = new_slot.start_time
        a.end_time = (start + timedelta(minutes=atype.duration_minutes)).strftime(TS_FORMAT)
        a.provider_id = new_slot.provider_id
        a.location_id = new_slot.location_id
        a.room_id = new_slot.room_id
        a.slot_id = new_slot.id
        new_slot.status = "booked"
        new_slot.updated_at = now_str()
    else:
        if body.new_end_time <= body.new_start_time:
            session.close()
            raise HTTPException(status_code=400, detail="new_end_time must be after new_start_time")
        a.start_time = datetime.fromisoformat(body.new_start_time).strftime(TS_FORMAT)
        a.end_time = datetime.fromisoformat(body.new_end_time).strftime(TS_FORMAT)
        a.slot_id = None
    if previous_slot_id is not None and previous_slot_id != a.slot_id:
        old_slot = session.query(AvailabilitySlot).filter(AvailabilitySlot.id == previous_slot_id).first()
        if old_slot is not None:
            old_slot.status = "open"
            old_slot.updated_at = now_str()
    cancelled_ids = []
    for r in session.query(Reminder).filter(Reminder.appointment_id == a.id, Reminder.status == "scheduled").all():
        r.status = "cancelled"
        r.updated_at = now_str()
        cancelled_ids.append(r.id)
    a.status = "booked"
    a.updated_at = now_str()
    session.commit()
    session.refresh(a)
    result = RescheduleResponse(
        appointment=appointment_detail(session, a),
        previous_start_time=previous_start,
        previous_slot_id=previous_slot_id,
        cancelled_reminder_ids=cancelled_ids,
    )
    session.close()
    return result


@app.post(
    "/api/appointments/{appointment_id}/cancel",
    summary="Cancel an appointment",
    description="Cancel a visit with a reason, reopen its slot, cancel pending reminders and return a linked referral to accepted.",
    tags=["appointments"],
    operation_id="cancel_appointment",
    response_model=AppointmentDetail,
)
async def cancel_appointment(
    appointment_id: int = Path(..., description="Appointment ID"),
    body: CancelRequest = Body(...),
):
    session = SessionLocal()
    a = session.query(Appointment).filter(Appointment.id == appointment_id).first()
    if a is None:
        session.close()
        raise HTTPException(status_code=404, detail="Appointment not found")
    a.status = "cancelled"
    a.cancel_reason = body.reason
    a.updated_at = now_str()
    if a.slot_id is not None:
        slot = session.query(AvailabilitySlot).filter(AvailabilitySlot.id == a.slot_id).first()
        if slot is not None and slot.status == "booked":
            slot.status = "open"
            slot.updated_at = now_str()
    for r in session.query(Reminder).filter(Reminder.appointment_id == a.id, Reminder.status == "scheduled").all():
        r.status = "cancelled"
        r.updated_at = now_str()
    if a.referral_id is not None:
        referral = session.query(Referral).filter(Referral.id == a.referral_id).first()
        if referral is not None and referral.status == "scheduled":
            referral.status = "accepted"
            referral.updated_at = now_str()
    session.commit()
    session.refresh(a)
    result = appointment_detail(session, a)
    session.close()
    return result


@app.post(
    "/api/appointments/{appointment_id}/check-in",
    summary="Check a patient in for an appointment",
    description="Mark a booked appointment as checked_in and record the arrival time.",
    tags=["appointments"],
    operation_id="check_in_appointment",
    response_model=AppointmentDetail,
)
async def check_in_appointment(appointment_id: int = Path(..., description="Appointment ID")):
    session = SessionLocal()
    a = session.query(Appointment).filter(Appointment.id == appointment_id).first()
    if a is None:
        session.close()
        raise HTTPException(status_code=404, detail="Appointment not found")
    if a.status != "booked":
        session.close()
        raise HTTPException(status_code=409, detail=f"Only booked appointments can be checked in (status is {a.status})")
    a.status = "checked_in"
    a.checked_in_at = now_str()
    a.updated_at = now_str()
    session.commit()
    session.refresh(a)
    result = appointment_detail(session, a)
    session.close()
    return result


@app.patch(
    "/api/appointments/{appointment_id}/status",
    summary="Update an appointment's status",
    description="Set status to booked, checked_in, completed or no_show. Use cancel_appointment to cancel.",
    tags=["appointments"],
    operation_id="update_appointment_status",
    response_model=AppointmentDetail,
)
async def update_appointment_status(
    appointment_id: int = Path(..., description="Appointment ID"),
    body: StatusUpdateRequest = Body(...),
):
    session = SessionLocal()
    a = session.query(Appointment).filter(Appointment.id == appointment_id).first()
    if a is None:
        session.close()
        raise HTTPException(status_code=404, detail="Appointment not found")
    a.status = body.status
    if body.status == "checked_in" and a.checked_in_at is None:
        a.checked_in_at = now_str()
    a.updated_at = now_str()
    session.commit()
    session.refresh(a)
    result = appointment_detail(session, a)
    session.close()
    return result



class ReferralOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Referral ID")
    patient_id: int = Field(..., description="Patient ID")
    patient_name: Optional[str] = Field(None, description="Patient name")
    referring_provider_id: int = Field(..., description="Referring provider ID")
    referring_provider_name: Optional[str] = Field(None, description="Referring provider name")
    receiving_provider_id: Optional[int] = Field(None, description="Receiving provider ID")
    receiving_provider_name: Optional[str] = Field(None, description="Receiving provider name")
    specialty_id: int = Field(..., description="Specialty ID")
    specialty_name: Optional[str] = Field(None, description="Specialty name")
    urgency: str = Field(..., description="routine, urgent or stat")
    status: str = Field(..., description="pending, accepted, declined or scheduled")
    reason: str = Field(..., description="Clinical reason")
    decline_reason: Optional[str] = Field(None, description="Why it was declined")
    received_at: str = Field(..., description="When the referral arrived")
    responded_at: Optional[str] = Field(None, description="When the desk responded")


class ReferralListResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    referrals: List[ReferralOut] = Field(..., description="Referrals, newest first")


class ReferralCreateRequest(BaseModel):
    patient_id: int = Field(..., description="Patient ID", examples=[7])
    referring_provider_id: int = Field(..., description="Referring provider ID", examples=[1])
    receiving_provider_id: Optional[int] = Field(None, description="Receiving provider ID", examples=[7])
    specialty_id: int = Field(..., description="Specialty ID", examples=[6])
    urgency: Literal["routine", "urgent", "stat"] = Field("routine", description="routine, urgent or stat", examples=["routine"])
    reason: str = Field(..., description="Clinical reason", examples=["Chronic lower back pain, continue PT"])


class ReferralStatusRequest(BaseModel):
    status: Literal["pending", "accepted", "declined", "scheduled"] = Field(..., description="New status", examples=["accepted"])
    decline_reason: Optional[str] = Field(None, description="Required context when declining", examples=[None])
    receiving_provider_id: Optional[int] = Field(None, description="Assign or change the receiving provider", examples=[2])


REFERRAL_TRANSITIONS = {
    "pending": ["accepted", "declined"],
    "accepted": ["pending", "declined", "scheduled"],
    "scheduled": ["accepted"],
    "declined": [],
}


def referral_out(session, r):
    patient = session.query(Patient).filter(Patient.id == r.patient_id).first()
    referring = session.query(Provider).filter(Provider.id == r.referring_provider_id).first()
    receiving = session.query(Provider).filter(Provider.id == r.receiving_provider_id).first() if r.receiving_provider_id else None
    sp = session.query(Specialty).filter(Specialty.id == r.specialty_id).first()
    return ReferralOut(
        id=r.id,
        patient_id=r.patient_id,
        patient_name=patient_full_name(patient),
        referring_provider_id=r.referring_provider_id,
        referring_provider_name=referring.full_name if referring else None,
        receiving_provider_id=r.receiving_provider_id,
        receiving_provider_name=receiving.full_name if receiving else None,
        specialty_id=r.specialty_id,
        specialty_name=sp.name if sp else None,
        urgency=r.urgency,
        status=r.status,
        reason=r.reason,
        decline_reason=r.decline_reason,
        received_at=str(r.received_at),
        responded_at=str(r.responded_at) if r.responded_at else None,
    )


@app.get(
    "/api/referrals",
    summary="List referrals with filters",
    description="Find referrals by patient, status, urgency, receiving provider or specialty, newest first.",
    tags=["referrals"],
    operation_id="list_referrals",
    response_model=ReferralListResponse,
)
async def list_referrals(
    patient_id: Optional[int] = Query(None, description="Patient ID"),
    status: Optional[str] = Query(None, description="pending, accepted, declined or scheduled"),
    urgency: Optional[str] = Query(None, description="routine, urgent or stat"),
    receiving_provider_id: Optional[int] = Query(None, description="Receiving provider ID"),
    specialty_id: Optional[int] = Query(None, description="Specialty ID"),
):
    session = SessionLocal()
    q = session.query(Referral)
    if patient_id is not None:
        q = q.filter(Referral.patient_id == patient_id)
    if status:
        q = q.filter(Referral.status == status)
    if urgency:
        q = q.filter(Referral.urgency == urgency)
    if receiving_provider_id is not None:
        q = q.filter(Referral.receiving_provider_id == receiving_provider_id)
    if specialty_id is not None:
        q = q.filter(Referral.specialty_id == specialty_id)
    items = [referral_out(session, r) for r in q.order_by(Referral.received_at.desc(), Referral.id.desc()).all()]
    session.close()
    return ReferralListResponse(referrals=items)


@app.post(
    "/api/referrals",
    summary="Record a new referral",
    description="Create a pending referral from a referring provider to a specialty (and optionally a specific provider).",
    tags=["referrals"],
    operation_id="create_referral",
    response_model=ReferralOut,
)
async def create_referral(body: ReferralCreateRequest = Body(...)):
    session = SessionLocal()
    patient = session.query(Patient).filter(Patient.id == body.patient_id).first()
    if patient is None:
        session.close()
        raise HTTPException(status_code=404, detail="Patient not found")
    r = Referral(
        patient_id=body.patient_id,
        referring_provider_id=body.referring_provider_id,
        receiving_provider_id=body.receiving_provider_id,
        specialty_id=body.specialty_id,
        urgency=body.urgency,
        status="pending",
        reason=body.reason,
        received_at=now_str(),
        created_at=now_str(),
        updated_at=now_str(),
    )
    session.add(r)
    session.commit()
    session.refresh(r)
    result = referral_out(session, r)
    session.close()
    return result


@app.patch(
    "/api/referrals/{referral_id}/status",
    summary="Accept, decline or otherwise update a referral",
    description="Move a referral through pending -> accepted/declined -> scheduled; declined referrals cannot be reopened.",
    tags=["referrals"],
    operation_id="update_referral_status",
    response_model=ReferralOut,
)
async def update_referral_status(
    referral_id: int = Path(..., description="Referral ID"),
    body: ReferralStatusRequest = Body(...),
):
    session = SessionLocal()
    r = session.query(Referral).filter(Referral.id == referral_id).first()
    if r is None:
        session.close()
        raise HTTPException(status_code=404, detail="Referral not found")
    if body.status != r.status and body.status not in REFERRAL_TRANSITIONS[r.status]:
        session.close()
        raise HTTPException(status_code=409, detail=f"Cannot move referral from {r.status} to {body.status}")
    r.status = body.status
    if body.status == "declined":
        r.decline_reason = body.decline_reason or "Declined by scheduling desk"
    if body.receiving_provider_id is not None:
        r.receiving_provider_id = body.receiving_provider_id
    r.responded_at = now_str()
    r.handled_by_user_id = 1
    r.updated_at = now_str()
    session.commit()
    session.refresh(r)
    result = referral_out(session, r)
    session.close()
    return result



class WaitlistOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Waitlist entry ID")
    patient_id: int = Field(..., description="Patient ID")
    patient_name: Optional[str] = Field(None, description="Patient name")
    provider_id: Optional[int] = Field(None, description="Requested provider ID (null = any)")
    provider_name: Optional[str] = Field(None, description="Requested provider name")
    appointment_type_id: int = Field(..., description="Appointment type ID")
    appointment_type_name: Optional[str] = Field(None, description="Appointment type name")
    preferred_start_date: str = Field(..., description="Earliest acceptable date")
    preferred_end_date: str = Field(..., description="Latest acceptable date")
    priority: str = Field(..., description="low, normal or high")
    status: str = Field(..., description="waiting, offered, booked or removed")
    notes: Optional[str] = Field(None, description="Desk notes")
    created_at: str = Field(..., description="When the entry was added")


class WaitlistListResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    entries: List[WaitlistOut] = Field(..., description="Waitlist entries")


class WaitlistCreateRequest(BaseModel):
    patient_id: int = Field(..., description="Patient ID", examples=[4])
    provider_id: Optional[int] = Field(None, description="Requested provider ID", examples=[3])
    appointment_type_id: int = Field(..., description="Appointment type ID", examples=[5])
    preferred_start_date: str = Field(..., description="Earliest acceptable date (YYYY-MM-DD)", examples=["2026-04-20"])
    preferred_end_date: str = Field(..., description="Latest acceptable date (YYYY-MM-DD)", examples=["2026-05-01"])
    priority: Literal["low", "normal", "high"] = Field("normal", description="low, normal or high", examples=["high"])
    notes: Optional[str] = Field(None, description="Desk notes", examples=["Flexible on time of day"])


class WaitlistUpdateRequest(BaseModel):
    status: Optional[Literal["waiting", "offered", "booked", "removed"]] = Field(None, description="New status", examples=["offered"])
    priority: Optional[Literal["low", "normal", "high"]] = Field(None, description="New priority", examples=["high"])
    notes: Optional[str] = Field(None, description="Replace the notes", examples=["Offered 4/20 09:00 by phone"])


def waitlist_out(session, w):
    patient = session.query(Patient).filter(Patient.id == w.patient_id).first()
    provider = session.query(Provider).filter(Provider.id == w.provider_id).first() if w.provider_id else None
    atype = session.query(AppointmentType).filter(AppointmentType.id == w.appointment_type_id).first()
    return WaitlistOut(
        id=w.id,
        patient_id=w.patient_id,
        patient_name=patient_full_name(patient),
        provider_id=w.provider_id,
        provider_name=provider.full_name if provider else None,
        appointment_type_id=w.appointment_type_id,
        appointment_type_name=atype.name if atype else None,
        preferred_start_date=w.preferred_start_date,
        preferred_end_date=w.preferred_end_date,
        priority=w.priority,
        status=w.status,
        notes=w.notes,
        created_at=str(w.created_at),
    )


@app.get(
    "/api/waitlist",
    summary="List waitlist entries",
    description="Return waitlist entries filtered by status, provider, patient or priority, high priority and oldest first.",
    tags=["waitlist"],
    operation_id="list_waitlist_entries",
    response_model=WaitlistListResponse,
)
async def list_waitlist_entries(
    status: Optional[str] = Query(None, description="waiting, offered, booked or removed"),
    provider_id: Optional[int] = Query(None, description="Provider ID"),
    patient_id: Optional[int] = Query(None, description="Patient ID"),
    priority: Optional[str] = Query(None, description="low, normal or high"),
):
    session = SessionLocal()
    q = session.query(WaitlistEntry)
    if status:
        q = q.filter(WaitlistEntry.status == status)
    if provider_id is not None:
        q = q.filter(WaitlistEntry.provider_id == provider_id)
    if patient_id is not None:
        q = q.filter(WaitlistEntry.patient_id == patient_id)
    if priority:
        q = q.filter(WaitlistEntry.priority == priority)
    rank = {"high": 0, "normal": 1, "low": 2}
    rows = sorted(q.all(), key=lambda w: (rank.get(w.priority, 3), str(w.created_at), w.id))
    items = [waitlist_out(session, w) for w in rows]
    session.close()
    return WaitlistListResponse(entries=items)


@app.post(
    "/api/waitlist",
    summary="Add a patient to the waitlist",
    description="Create a waiting entry for a patient, visit type and optional provider within a preferred date window.",
    tags=["waitlist"],
    operation_id="add_waitlist_entry",
    response_model=WaitlistOut,
)
async def add_waitlist_entry(body: WaitlistCreateRequest = Body(...)):
    session = SessionLocal()
    patient = session.query(Patient).filter(Patient.id == body.patient_id).first()
    atype = session.query(AppointmentType).filter(AppointmentType.id == body.appointment_type_id).first()
    if patient is None or atype is None:
        session.close()
        raise HTTPException(status_code=404, detail="Patient or appointment type not found")
    if body.preferred_end_date < body.preferred_start_date:
        session.close()
        raise HTTPException(status_code=400, detail="preferred_end_date must not be before preferred_start_date")
    w = WaitlistEntry(
        patient_id=body.patient_id,
        provider_id=body.provider_id,
        appointment_type_id=body.appointment_type_id,
        preferred_start_date=body.preferred_start_date,
        preferred_end_date=body.preferred_end_date,
        priority=body.priority,
        status="waiting",
        notes=body.notes,
        added_by_user_id=1,
        created_at=now_str(),
        updated_at=now_str(),
    )
    session.add(w)
    session.commit()
    session.refresh(w)
    result = waitlist_out(session, w)
    session.close()
    return result


@app.patch(
    "/api/waitlist/{entry_id}",
    summary="Update a waitlist entry",
    description="Change the status (waiting, offered, booked, removed), priority or notes of a waitlist entry.",
    tags=["waitlist"],
    operation_id="update_waitlist_entry",
    response_model=WaitlistOut,
)
async def update_waitlist_entry(
    entry_id: int = Path(..., description="Waitlist entry ID"),
    body: WaitlistUpdateRequest = Body(...),
):
    session = SessionLocal()
    w = session.query(WaitlistEntry).filter(WaitlistEntry.id == entry_id).first()
    if w is None:
        session.close()
        raise HTTPException(status_code=404, detail="Waitlist entry not found")
    if body.status is not None:
        w.status = body.status
    if body.priority is not None:
        w.priority = body.priority
    if body.notes is not None:
        w.notes = body.notes
    w.updated_at = now_str()
    session.commit()
    session.refresh(w)
    result = waitlist_out(session, w)
    session.close()
    return result



class ReminderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Reminder ID")
    appointment_id: int = Field(..., description="Appointment ID")
    channel: str = Field(..., description="sms, email or phone")
    scheduled_for: str = Field(..., description="When it will be sent (YYYY-MM-DD HH:MM:SS)")
    status: str = Field(..., description="scheduled, sent, failed or cancelled")
    message: str = Field(..., description="Message text")
    sent_at: Optional[str] = Field(None, description="When it was sent")


class ReminderListResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    appointment_id: int = Field(..., description="Appointment ID")
    reminders: List[ReminderOut] = Field(..., description="Reminders for the appointment")


class ReminderCreateRequest(BaseModel):
    appointment_id: int = Field(..., description="Appointment ID", examples=[5])
    channel: Literal["sms", "email", "phone"] = Field(..., description="sms, email or phone", examples=["sms"])
    scheduled_for: str = Field(..., description="Send time (YYYY-MM-DD HH:MM:SS)", examples=["2026-04-14 17:00:00"])
    message: str = Field(..., description="Message text", examples=["Reminder: visit tomorrow at 8:30 AM."])


@app.get(
    "/api/appointments/{appointment_id}/reminders",
    summary="List reminders for an appointment",
    description="Return every reminder (scheduled, sent, failed, cancelled) queued for one appointment.",
    tags=["reminders"],
    operation_id="list_appointment_reminders",
    response_model=ReminderListResponse,
)
async def list_appointment_reminders(appointment_id: int = Path(..., description="Appointment ID")):
    session = SessionLocal()
    rows = (
        session.query(Reminder)
        .filter(Reminder.appointment_id == appointment_id)
        .order_by(Reminder.scheduled_for, Reminder.id)
        .all()
    )
    items = [ReminderOut.model_validate(r) for r in rows]
    session.close()
    return ReminderListResponse(appointment_id=appointment_id, reminders=items)


@app.post(
    "/api/reminders",
    summary="Schedule a reminder for an appointment",
    description="Queue an SMS, email or phone reminder for an appointment at a given send time.",
    tags=["reminders"],
    operation_id="create_reminder",
    response_model=ReminderOut,
)
async def create_reminder(body: ReminderCreateRequest = Body(...)):
    session = SessionLocal()
    a = session.query(Appointment).filter(Appointment.id == body.appointment_id).first()
    if a is None:
        session.close()
        raise HTTPException(status_code=404, detail="Appointment not found")
    r = Reminder(
        appointment_id=body.appointment_id,
        channel=body.channel,
        scheduled_for=datetime.fromisoformat(body.scheduled_for).strftime(TS_FORMAT),
        status="scheduled",
        message=body.message,
        created_by_user_id=1,
        created_at=now_str(),
        updated_at=now_str(),
    )
    session.add(r)
    session.commit()
    session.refresh(r)
    result = ReminderOut.model_validate(r)
    session.close()
    return result



class VisitNoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Visit note ID")
    appointment_id: int = Field(..., description="Appointment ID")
    provider_id: int = Field(..., description="Authoring provider ID")
    summary: str = Field(..., description="Visit summary")
    diagnosis_codes: Optional[str] = Field(None, description="Comma-separated ICD-10 codes")
    follow_up_weeks: Optional[int] = Field(None, description="Recommended follow-up in weeks")
    signed_at: Optional[str] = Field(None, description="When the note was signed")


@app.get(
    "/api/appointments/{appointment_id}/visit-note",
    summary="Get the visit note summary for an appointment",
    description="Return the signed visit-note summary, diagnoses and follow-up interval for a completed appointment.",
    tags=["visit_notes"],
    operation_id="get_visit_note",
    response_model=VisitNoteOut,
)
async def get_visit_note(appointment_id: int = Path(..., description="Appointment ID")):
    session = SessionLocal()
    note = session.query(VisitNote).filter(VisitNote.appointment_id == appointment_id).first()
    if note is None:
        session.close()
        raise HTTPException(status_code=404, detail="No visit note for this appointment")
    result = VisitNoteOut.model_validate(note)
    session.close()
    return result


if __name__ == "__main__":
    import uvicorn

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    uvicorn.run(app, host=host, port=port)
