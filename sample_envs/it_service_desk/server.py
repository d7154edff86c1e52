import os
import re
from datetime import datetime, timedelta
from typing import List, Optional, Dict, Any
from fastapi import FastAPI, Query, Path, Body, HTTPException
from pydantic import BaseModel, Field, ConfigDict
from sqlalchemy import create_engine, Column, Integer, String, Text, DateTime, ForeignKey, UniqueConstraint, or_, func
from sqlalchemy.orm import declarative_base, sessionmaker

DATABASE_PATH = os.environ.get("DATABASE_PATH") or "sqlite:///it_service_desk.db"
engine = create_engine(DATABASE_PATH, connect_args={"check_same_thread": False})
SessionLocal = sessionmaker(bind=engine, expire_on_commit=False)
Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    full_name = Column(String, nullable=False)
    email = Column(String, nullable=False, unique=True)
    job_title = Column(String)
    department = Column(String, nullable=False)
    role = Column(String, nullable=False, default="requester")
    phone = Column(String)
    location = Column(String)
    is_active = Column(Integer, nullable=False, default=1)
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())


class Team(Base):
    __tablename__ = "teams"
    id = Column(Integer, primary_key=True)
    name = Column(String, nullable=False, unique=True)
    description = Column(Text)
    email = Column(String)
    lead_user_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"))
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())


class TeamMember(Base):
    __tablename__ = "team_members"
    id = Column(Integer, primary_key=True)
    team_id = Column(Integer, ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    member_role = Column(String, nullable=False, default="member")
    joined_at = Column(DateTime, nullable=False, default=func.now())
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)


class Category(Base):
    __tablename__ = "categories"
    id = Column(Integer, primary_key=True)
    name = Column(String, nullable=False, unique=True)
    description = Column(Text)
    default_team_id = Column(Integer, ForeignKey("teams.id", ondelete="SET NULL"))
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())


class SlaPolicy(Base):
    __tablename__ = "sla_policies"
    id = Column(Integer, primary_key=True)
    name = Column(String, nullable=False, unique=True)
    priority = Column(String, nullable=False, unique=True)
    response_minutes = Column(Integer, nullable=False)
    resolution_minutes = Column(Integer, nullable=False)
    business_hours_only = Column(Integer, nullable=False, default=1)
    is_active = Column(Integer, nullable=False, default=1)
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())


class Ticket(Base):
    __tablename__ = "tickets"
    id = Column(Integer, primary_key=True)
    ticket_number = Column(String, nullable=False, unique=True)
    subject = Column(String, nullable=False)
    description = Column(Text)
    requester_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    assignee_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"))
    team_id = Column(Integer, ForeignKey("teams.id", ondelete="SET NULL"))
    category_id = Column(Integer, ForeignKey("categories.id", ondelete="SET NULL"))
    priority = Column(String, nullable=False, default="medium")
    status = Column(String, nullable=False, default="new")
    channel = Column(String, nullable=False, default="portal")
    sla_policy_id = Column(Integer, ForeignKey("sla_policies.id", ondelete="SET NULL"))
    response_due_at = Column(DateTime)
    resolution_due_at = Column(DateTime)
    first_response_at = Column(DateTime)
    resolved_at = Column(DateTime)
    closed_at = Column(DateTime)
    resolution_notes = Column(Text)
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())


class TicketComment(Base):
    __tablename__ = "ticket_comments"
    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False)
    author_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    body = Column(Text, nullable=False)
    is_internal = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())


class Worklog(Base):
    __tablename__ = "worklogs"
    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    minutes = Column(Integer, nullable=False)
    note = Column(Text)
    work_date = Column(String, nullable=False)
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())


class SlaBreach(Base):
    __tablename__ = "sla_breaches"
    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False)
    sla_policy_id = Column(Integer, ForeignKey("sla_policies.id", ondelete="RESTRICT"), nullable=False)
    breach_type = Column(String, nullable=False)
    due_at = Column(DateTime, nullable=False)
    breached_at = Column(DateTime, nullable=False)
    is_acknowledged = Column(Integer, nullable=False, default=0)
    acknowledged_by = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"))
    acknowledged_at = Column(DateTime)
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())
    __table_args__ = (UniqueConstraint("ticket_id", "breach_type"),)


class Asset(Base):
    __tablename__ = "assets"
    id = Column(Integer, primary_key=True)
    asset_tag = Column(String, nullable=False, unique=True)
    asset_type = Column(String, nullable=False)
    manufacturer = Column(String)
    model = Column(String, nullable=False)
    serial_number = Column(String, unique=True)
    status = Column(String, nullable=False, default="in_stock")
    assigned_to_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"))
    seat_count = Column(Integer)
    purchase_date = Column(String)
    warranty_expires_on = Column(String)
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())


class TicketAsset(Base):
    __tablename__ = "ticket_assets"
    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False)
    asset_id = Column(Integer, ForeignKey("assets.id", ondelete="CASCADE"), nullable=False)
    linked_by = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    note = Column(Text)
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())
    __table_args__ = (UniqueConstraint("ticket_id", "asset_id"),)


class KbArticle(Base):
    __tablename__ = "kb_articles"
    id = Column(Integer, primary_key=True)
    title = Column(String, nullable=False)
    slug = Column(String, nullable=False, unique=True)
    body = Column(Text, nullable=False)
    category_id = Column(Integer, ForeignKey("categories.id", ondelete="SET NULL"))
    author_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    status = Column(String, nullable=False, default="draft")
    view_count = Column(Integer, nullable=False, default=0)
    published_at = Column(DateTime)
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())


class TicketKbLink(Base):
    __tablename__ = "ticket_kb_links"
    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False)
    article_id = Column(Integer, ForeignKey("kb_articles.id", ondelete="CASCADE"), nullable=False)
    linked_by = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())
    __table_args__ = (UniqueConstraint("ticket_id", "article_id"),)


class ChangeRequest(Base):
    __tablename__ = "change_requests"
    id = Column(Integer, primary_key=True)
    change_number = Column(String, nullable=False, unique=True)
    title = Column(String, nullable=False)
    description = Column(Text)
    change_type = Column(String, nullable=False, default="normal")
    risk_level = Column(String, nullable=False, default="medium")
    status = Column(String, nullable=False, default="draft")
    requested_by = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    assigned_team_id = Column(Integer, ForeignKey("teams.id", ondelete="SET NULL"))
    related_ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="SET NULL"))
    planned_start = Column(String)
    planned_end = Column(String)
    implemented_at = Column(DateTime)
    rollback_plan = Column(Text)
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())


class ChangeApproval(Base):
    __tablename__ = "change_approvals"
    id = Column(Integer, primary_key=True)
    change_request_id = Column(Integer, ForeignKey("change_requests.id", ondelete="CASCADE"), nullable=False)
    approver_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    decision = Column(String, nullable=False, default="pending")
    comment = Column(Text)
    decided_at = Column(DateTime)
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())
    __table_args__ = (UniqueConstraint("change_request_id", "approver_id"),)


class Escalation(Base):
    __tablename__ = "escalations"
    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False)
    escalated_by = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    from_team_id = Column(Integer, ForeignKey("teams.id", ondelete="SET NULL"))
    to_team_id = Column(Integer, ForeignKey("teams.id", ondelete="RESTRICT"), nullable=False)
    to_user_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"))
    level = Column(Integer, nullable=False, default=1)
    reason = Column(Text, nullable=False)
    status = Column(String, nullable=False, default="open")
    created_at = Column(DateTime, nullable=False, default=func.now())
    updated_at = Column(DateTime, nullable=False, default=func.now())


Base.metadata.create_all(engine)

app = FastAPI(title="IT Service Desk API", description="Internal IT helpdesk: tickets, SLAs, assets, knowledge base and change management")


def iso(value):
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    return str(value)


def user_name(session, user_id):
    if user_id is None:
        return None
    user = session.query(User).filter(User.id == user_id).first()
    return user.full_name if user else None


def apply_sla(session, ticket):
    policy = session.query(SlaPolicy).filter(SlaPolicy.priority == ticket.priority, SlaPolicy.is_active == 1).first()
    if policy is None:
        return
    start = ticket.created_at or datetime.now()
    ticket.sla_policy_id = policy.id
    ticket.response_due_at = start + timedelta(minutes=policy.response_minutes)
    ticket.resolution_due_at = start + timedelta(minutes=policy.resolution_minutes)


class UserResponse(BaseModel):
    id: int = Field(..., description="User ID", example=1)
    full_name: str = Field(..., description="Full name", example="Jordan Blake")
    email: str = Field(..., description="Work email address", example="jordan.blake@northwind.example")
    job_title: Optional[str] = Field(None, description="Job title", example="Service Desk Analyst")
    department: str = Field(..., description="Department", example="IT")
    role: str = Field(..., description="Directory role: agent, requester or manager", example="agent")
    phone: Optional[str] = Field(None, description="Phone number", example="+1-555-0101")
    location: Optional[str] = Field(None, description="Office location", example="HQ Floor 2")
    is_active: bool = Field(..., description="Whether the account is active", example=True)
    model_config = ConfigDict(from_attributes=True)


class CurrentUserResponse(UserResponse):
    teams: List[str] = Field(..., description="Names of the teams the user belongs to", example=["Service Desk"])


class UserListResponse(BaseModel):
    users: List[UserResponse] = Field(..., description="Matching users")
    model_config = ConfigDict(from_attributes=True)


def to_user(obj):
    return UserResponse(
        id=obj.id,
        full_name=obj.full_name,
        email=obj.email,
        job_title=obj.job_title,
        department=obj.department,
        role=obj.role,
        phone=obj.phone,
        location=obj.location,
        is_active=bool(obj.is_active),
    )


@app.get(
    "/api/me",
    summary="Get the signed-in agent's profile",
    description="Return the profile of the current user (user_id=1) including the names of the teams they belong to",
    tags=["users"],
    operation_id="get_current_user",
    response_model=CurrentUserResponse,
)
async def get_current_user():
    session = SessionLocal()
    obj = session.query(User).filter(User.id == 1).first()
    memberships = session.query(TeamMember).filter(TeamMember.user_id == 1).all()
    team_names = []
    for m in memberships:
        team = session.query(Team).filter(Team.id == m.team_id).first()
        if team:
            team_names.append(team.name)
    base = to_user(obj)
    session.close()
    return CurrentUserResponse(**base.model_dump(), teams=team_names)


@app.get(
    "/api/users",
    summary="Search the staff directory",
    description="List users, optionally filtered by a name/email search string and by directory role",
    tags=["users"],
    operation_id="list_users",
    response_model=UserListResponse,
)
async def list_users(
    search: Optional[str] = Query(None, description="Case-insensitive match on full name or email", example="Priya"),
    role: Optional[str] = Query(None, description="Filter by role: agent, requester or manager", example="requester"),
):
    session = SessionLocal()
    query = session.query(User)
    if search:
        like = f"%{search}%"
        query = query.filter(or_(User.full_name.ilike(like), User.email.ilike(like)))
    if role:
        query = query.filter(User.role == role)
    users = [to_user(u) for u in query.order_by(User.id).all()]
    session.close()
    return UserListResponse(users=users)


class TeamResponse(BaseModel):
    id: int = Field(..., description="Team ID", example=3)
    name: str = Field(..., description="Team name", example="Network Operations")
    description: Optional[str] = Field(None, description="What the team handles", example="Wi-Fi, VPN, telephony and data-center network")
    email: Optional[str] = Field(None, description="Team mailbox", example="netops@northwind.example")
    lead_user_id: Optional[int] = Field(None, description="User ID of the team lead", example=4)
    lead_name: Optional[str] = Field(None, description="Name of the team lead", example="Aisha Bello")
    member_count: int = Field(..., description="Number of team members", example=1)
    model_config = ConfigDict(from_attributes=True)


class TeamListResponse(BaseModel):
    teams: List[TeamResponse] = Field(..., description="All resolver teams")


@app.get(
    "/api/teams",
    summary="List resolver teams",
    description="List all support teams with their lead and member count, used for routing and escalations",
    tags=["teams"],
    operation_id="list_teams",
    response_model=TeamListResponse,
)
async def list_teams():
    session = SessionLocal()
    teams = []
    for t in session.query(Team).order_by(Team.id).all():
        count = session.query(TeamMember).filter(TeamMember.team_id == t.id).count()
        teams.append(TeamResponse(
            id=t.id,
            name=t.name,
            description=t.description,
            email=t.email,
            lead_user_id=t.lead_user_id,
            lead_name=user_name(session, t.lead_user_id),
            member_count=count,
        ))
    session.close()
    return TeamListResponse(teams=teams)


class CategoryResponse(BaseModel):
    id: int = Field(..., description="Category ID", example=4)
    name: str = Field(..., description="Category name", example="Access & Identity")
    description: Optional[str] = Field(None, description="Category description", example="Accounts, group membership, MFA and shared drive permissions")
    default_team_id: Optional[int] = Field(None, description="Team that tickets in this category are routed to", example=4)
    model_config = ConfigDict(from_attributes=True)


class CategoryListResponse(BaseModel):
    categories: List[CategoryResponse] = Field(..., description="All ticket and KB categories")


@app.get(
    "/api/categories",
    summary="List ticket categories",
    description="List the categories used for tickets and knowledge-base articles with their default routing team",
    tags=["catalog"],
    operation_id="list_categories",
    response_model=CategoryListResponse,
)
async def list_categories():
    session = SessionLocal()
    cats = [CategoryResponse.model_validate(c) for c in session.query(Category).order_by(Category.id).all()]
    session.close()
    return CategoryListResponse(categories=cats)


class SlaPolicyResponse(BaseModel):
    id: int = Field(..., description="SLA policy ID", example=2)
    name: str = Field(..., description="Policy name", example="P2 - High")
    priority: str = Field(..., description="Ticket priority the policy applies to", example="high")
    response_minutes: int = Field(..., description="First response target in minutes", example=60)
    resolution_minutes: int = Field(..., description="Resolution target in minutes", example=480)
    business_hours_only: bool = Field(..., description="Whether the clock only runs in business hours", example=False)
    is_active: bool = Field(..., description="Whether the policy is active", example=True)


class SlaPolicyListResponse(BaseModel):
    sla_policies: List[SlaPolicyResponse] = Field(..., description="SLA policies per priority")


@app.get(
    "/api/sla-policies",
    summary="List SLA policies",
    description="List the response and resolution targets for each ticket priority",
    tags=["catalog"],
    operation_id="list_sla_policies",
    response_model=SlaPolicyListResponse,
)
async def list_sla_policies():
    session = SessionLocal()
    items = []
    for p in session.query(SlaPolicy).order_by(SlaPolicy.id).all():
        items.append(SlaPolicyResponse(
            id=p.id,
            name=p.name,
            priority=p.priority,
            response_minutes=p.response_minutes,
            resolution_minutes=p.resolution_minutes,
            business_hours_only=bool(p.business_hours_only),
            is_active=bool(p.is_active),
        ))
    session.close()
    return SlaPolicyListResponse(sla_policies=items)


class TicketSummary(BaseModel):
    id: int = Field(..., description="Ticket ID", example=4)
    ticket_number: str = Field(..., description="Human-readable ticket number", example="INC-1004")
    subject: str = Field(..., description="Ticket subject", example="Wi-Fi keeps dropping on floor 3")
    requester_id: int = Field(..., description="User ID of the requester", example=14)
    requester_name: Optional[str] = Field(None, description="Requester name", example="Kwame Mensah")
    assignee_id: Optional[int] = Field(None, description="User ID of the assigned agent", example=1)
    assignee_name: Optional[str] = Field(None, description="Assigned agent name", example="Jordan Blake")
    team_id: Optional[int] = Field(None, description="Resolver team ID", example=1)
    category_id: Optional[int] = Field(None, description="Category ID", example=2)
    priority: str = Field(..., description="low, medium, high or critical", example="high")
    status: str = Field(..., description="new, open, pending, resolved or closed", example="open")
    response_due_at: Optional[str] = Field(None, description="First response due time", example="2026-02-28T10:00:00")
    resolution_due_at: Optional[str] = Field(None, description="Resolution due time", example="2026-02-28T17:00:00")
    created_at: Optional[str] = Field(None, description="Creation time", example="2026-02-28T09:00:00")
    updated_at: Optional[str] = Field(None, description="Last update time", example="2026-03-02T03:00:00")


class TicketListResponse(BaseModel):
    tickets: List[TicketSummary] = Field(..., description="Matching tickets")
    total: int = Field(..., description="Number of tickets returned", example=1)


class TicketDetail(BaseModel):
    id: int = Field(..., description="Ticket ID", example=4)
    ticket_number: str = Field(..., description="Human-readable ticket number", example="INC-1004")
    subject: str = Field(..., description="Ticket subject", example="Wi-Fi keeps dropping on floor 3")
    description: Optional[str] = Field(None, description="Full description", example="Laptops on floor 3 lose the connection")
    requester_id: int = Field(..., description="Requester user ID", example=14)
    requester_name: Optional[str] = Field(None, description="Requester name", example="Kwame Mensah")
    assignee_id: Optional[int] = Field(None, description="Assigned agent user ID", example=1)
    assignee_name: Optional[str] = Field(None, description="Assigned agent name", example="Jordan Blake")
    team_id: Optional[int] = Field(None, description="Resolver team ID", example=1)
    team_name: Optional[str] = Field(None, description="Resolver team name", example="Service Desk")
    category_id: Optional[int] = Field(None, description="Category ID", example=2)
    category_name: Optional[str] = Field(None, description="Category name", example="Network & VPN")
    priority: str = Field(..., description="Priority", example="high")
    status: str = Field(..., description="Status", example="open")
    channel: str = Field(..., description="Channel the ticket came in through", example="phone")
    sla_policy_id: Optional[int] = Field(None, description="Applied SLA policy ID", example=2)
    sla_policy_name: Optional[str] = Field(None, description="Applied SLA policy name", example="P2 - High")
    response_due_at: Optional[str] = Field(None, description="First response due time", example="2026-02-28T10:00:00")
    resolution_due_at: Optional[str] = Field(None, description="Resolution due time", example="2026-02-28T17:00:00")
    first_response_at: Optional[str] = Field(None, description="Time of the first agent response", example="2026-02-28T12:00:00")
    resolved_at: Optional[str] = Field(None, description="Time the ticket was resolved", example=None)
    closed_at: Optional[str] = Field(None, description="Time the ticket was closed", example=None)
    resolution_notes: Optional[str] = Field(None, description="Resolution notes", example=None)
    created_at: Optional[str] = Field(None, description="Creation time", example="2026-02-28T09:00:00")
    updated_at: Optional[str] = Field(None, description="Last update time", example="2026-03-02T03:00:00")


def to_summary(session, t):
    return TicketSummary(
        id=t.id,
        ticket_number=t.ticket_number,
        subject=t.subject,
        requester_id=t.requester_id,
        requester_name=user_name(session, t.requester_id),
        assignee_id=t.assignee_id,
        assignee_name=user_name(session, t.assignee_id),
        team_id=t.team_id,
        category_id=t.category_id,
        priority=t.priority,
        status=t.status,
        response_due_at=iso(t.response_due_at),
        resolution_due_at=iso(t.resolution_due_at),
        created_at=iso(t.created_at),
        updated_at=iso(t.updated_at),
    )


def to_detail(session, t):
    team = session.query(Team).filter(Team.id == t.team_id).first() if t.team_id else None
    cat = session.query(Category).filter(Category.id == t.category_id).first() if t.category_id else None
    pol = session.query(SlaPolicy).filter(SlaPolicy.id == t.sla_policy_id).first() if t.sla_policy_id else None
    return TicketDetail(
        id=t.id,
        ticket_number=t.ticket_number,
        subject=t.subject,
        description=t.description,
        requester_id=t.requester_id,
        requester_name=user_name(session, t.requester_id),
        assignee_id=t.assignee_id,
        assignee_name=user_name(session, t.assignee_id),
        team_id=t.team_id,
        team_name=team.name if team else None,
        category_id=t.category_id,
        category_name=cat.name if cat else None,
        priority=t.priority,
        status=t.status,
        channel=t.channel,
        sla_policy_id=t.sla_policy_id,
        sla_policy_name=pol.name if pol else None,
        response_due_at=iso(t.response_due_at),
        resolution_due_at=iso(t.resolution_due_at),
        first_response_at=iso(t.first_response_at),
        resolved_at=iso(t.resolved_at),
        closed_at=iso(t.closed_at),
        resolution_notes=t.resolution_notes,
        created_at=iso(t.created_at),
        updated_at=iso(t.updated_at),
    )


@app.get(
    "/api/tickets",
    summary="Search and filter tickets",
    description="List tickets filtered by number, text, status, priority, requester, assignee, team or category; assigned_to_me limits to user 1",
    tags=["tickets"],
    operation_id="list_tickets",
    response_model=TicketListResponse,
)
async def list_tickets(
    ticket_number: Optional[str] = Query(None, description="Exact ticket number", example="INC-1004"),
    search: Optional[str] = Query(None, description="Text matched against subject and description", example="Wi-Fi"),
    status: Optional[str] = Query(None, description="Filter by status", example="open"),
    priority: Optional[str] = Query(None, description="Filter by priority", example="high"),
    requester_id: Optional[int] = Query(None, description="Filter by requester user ID", example=14),
    assignee_id: Optional[int] = Query(None, description="Filter by assignee user ID", example=1),
    team_id: Optional[int] = Query(None, description="Filter by team ID", example=1),
    category_id: Optional[int] = Query(None, description="Filter by category ID", example=2),
    assigned_to_me: bool = Query(False, description="Only tickets assigned to the signed-in agent", example=False),
    limit: int = Query(50, description="Maximum number of tickets to return", example=50),
):
    session = SessionLocal()
    query = session.query(Ticket)
    if ticket_number:
        query = query.filter(Ticket.ticket_number == ticket_number)
    if search:
        like = f"%{search}%"
        query = query.filter(or_(Ticket.subject.ilike(like), Ticket.description.ilike(like)))
    if status:
        query = query.filter(Ticket.status == status)
    if priority:
        query = query.filter(Ticket.priority == priority)
    if requester_id is not None:
        query = query.filter(Ticket.requester_id == requester_id)
    if assignee_id is not None:
        query = query.filter(Ticket.assignee_id == assignee_id)
    if team_id is not None:
        query = query.filter(Ticket.team_id == team_id)
    if category_id is not None:
        query = query.filter(Ticket.category_id == category_id)
    if assigned_to_me:
        query = query.filter(Ticket.assignee_id == 1)
    rows = query.order_by(Ticket.id).limit(limit).all()
    tickets = [to_summary(session, t) for t in rows]
    session.close()
    return TicketListResponse(tickets=tickets, total=len(tickets))


@app.get(
    "/api/tickets/{ticket_id}",
    summary="Get ticket details",
    description="Return every field of one ticket including SLA due dates, resolution data and resolved names",
    tags=["tickets"],
    operation_id="get_ticket",
    response_model=TicketDetail,
)
async def get_ticket(ticket_id: int = Path(..., description="Ticket ID", example=4)):
    session = SessionLocal()
    t = session.query(Ticket).filter(Ticket.id == ticket_id).first()
    if t is None:
        session.close()
        raise HTTPException(status_code=404, detail="Ticket not found")
    ret = to_detail(session, t)
    session.close()
    return ret


class TicketCreateRequest(BaseModel):
    subject: str = Field(..., description="Short summary of the issue", example="Mailbox storage quota warning")
    description: Optional[str] = Field(None, description="Full description", example="Outlook says my mailbox is almost full.")
    requester_id: int = Field(..., description="User ID of the employee reporting the issue", example=11)
    category_id: int = Field(..., description="Category ID; sets the default resolver team", example=3)
    priority: str = Field("medium", description="low, medium, high or critical", example="low")
    channel: str = Field("portal", description="portal, email, phone, chat or walk_in", example="email")
    assignee_id: Optional[int] = Field(None, description="Agent to assign the ticket to", example=1)


@app.post(
    "/api/tickets",
    summary="Log a new ticket",
    description="Create a ticket on behalf of a requester; the next INC number, routing team and SLA due dates are set automatically",
    tags=["tickets"],
    operation_id="create_ticket",
    response_model=TicketDetail,
)
async def create_ticket(body: TicketCreateRequest = Body(...)):
    session = SessionLocal()
    last = session.query(Ticket).order_by(Ticket.id.desc()).first()
    next_number = 1001 if last is None else int(last.ticket_number.split("-")[1]) + 1
    cat = session.query(Category).filter(Category.id == body.category_id).first()
    now = datetime.now()
    t = Ticket(
        ticket_number=f"INC-{next_number}",
        subject=body.subject,
        description=body.description,
        requester_id=body.requester_id,
        assignee_id=body.assignee_id,
        team_id=cat.default_team_id if cat else None,
        category_id=body.category_id,
        priority=body.priority,
        status="open" if body.assignee_id else "new",
        channel=body.channel,
        created_at=now,
        updated_at=now,
    )
    apply_sla(session, t)
    session.add(t)
    session.commit()
    session.refresh(t)
    ret = to_detail(session, t)
    session.close()
    return ret


class TicketUpdateRequest(BaseModel):
    subject: Optional[str] = Field(None, description="New subject", example="Wi-Fi outage on floor 3")
    description: Optional[str] = Field(None, description="New description", example="All access points on floor 3 affected")
    priority: Optional[str] = Field(None, description="New priority; re-applies the matching SLA policy", example="critical")
    category_id: Optional[int] = Field(None, description="New category ID", example=2)
    team_id: Optional[int] = Field(None, description="New resolver team ID", example=3)
    assignee_id: Optional[int] = Field(None, description="New assignee user ID", example=4)


@app.patch(
    "/api/tickets/{ticket_id}",
    summary="Update ticket fields",
    description="Change subject, description, priority, category, team or assignee of a ticket; a priority change recalculates SLA due dates",
    tags=["tickets"],
    operation_id="update_ticket",
    response_model=TicketDetail,
)
async def update_ticket(
    ticket_id: int = Path(..., description="Ticket ID", example=15),
    body: TicketUpdateRequest = Body(...),
):
    session = SessionLocal()
    t = session.query(Ticket).filter(Ticket.id == ticket_id).first()
    if body.subject is not None:
        t.subject = body.subject
    if body.description is not None:
        t.description = body.description
    if body.category_id is not None:
        t.category_id = body.category_id
    if body.team_id is not None:
        t.team_id = body.team_id
    if body.assignee_id is not None:
        t.assignee_id = body.assignee_id
    if body.priority is not None and body.priority != t.priority:
        t.priority = body.priority
        apply_sla(session, t)
    t.updated_at = datetime.now()
    session.commit()
    session.refresh(t)
    ret = to_detail(session, t)
    session.close()
    return ret


class TicketStatusRequest(BaseModel):
    status: str = Field(..., description="Target status: open, pending, resolved or closed", example="closed")
    resolution_notes: Optional[str] = Field(None, description="Resolution notes, stored when resolving or closing", example="User confirmed the fix.")


ALLOWED_TRANSITIONS = {
    "new": ["open", "pending", "resolved"],
    "open": ["pending", "resolved"],
    "pending": ["open", "resolved"],
    "resolved": ["open", "closed"],
    "closed": [],
}


@app.post(
    "/api/tickets/{ticket_id}/status",
    summary="Change ticket status",
    description="Move a ticket through new/open/pending/resolved/closed; only resolved tickets can be closed and closed tickets are final",
    tags=["tickets"],
    operation_id="update_ticket_status",
    response_model=TicketDetail,
)
async def update_ticket_status(
    ticket_id: int = Path(..., description="Ticket ID", example=9),
    body: TicketStatusRequest = Body(...),
):
    session = SessionLocal()
    t = session.query(Ticket).filter(Ticket.id == ticket_id).first()
    if t is None:
        session.close()
        raise HTTPException(status_code=404, detail="Ticket not found")
    if body.status not in ALLOWED_TRANSITIONS.get(t.status, []):
        current = t.status
        session.close()
        raise HTTPException(status_code=400, detail=f"Cannot change status from {current} to {body.status}")
    now = datetime.now()
    t.status = body.status
    if body.status == "open" and t.first_response_at is None:
        t.first_response_at = now
    if body.status == "resolved":
        t.resolved_at = now
    if body.status == "closed":
        t.closed_at = now
    if body.status == "open":
        t.resolved_at = None
    if body.resolution_notes is not None:
        t.resolution_notes = body.resolution_notes
    t.updated_at = now
    session.commit()
    session.refresh(t)
    ret = to_detail(session, t)
    session.close()
    return ret


@app.post(
    "/api/tickets/{ticket_id}/assign-to-me",
    summary="Assign a ticket to myself",
    description="Set the signed-in agent as assignee; a new ticket becomes open and its first response time is recorded",
    tags=["tickets"],
    operation_id="assign_ticket_to_me",
    response_model=TicketDetail,
)
async def assign_ticket_to_me(ticket_id: int = Path(..., description="Ticket ID", example=19)):
    session = SessionLocal()
    t = session.query(Ticket).filter(Ticket.id == ticket_id).first()
    now = datetime.now()
    t.assignee_id = 1
    if t.status == "new":
        t.status = "open"
        if t.first_response_at is None:
            t.first_response_at = now
    t.updated_at = now
    session.commit()
    session.refresh(t)
    ret = to_detail(session, t)
    session.close()
    return ret


class CommentResponse(BaseModel):
    id: int = Field(..., description="Comment ID", example=21)
    ticket_id: int = Field(..., description="Ticket ID", example=12)
    author_id: int = Field(..., description="Author user ID", example=1)
    author_name: Optional[str] = Field(None, description="Author name", example="Jordan Blake")
    body: str = Field(..., description="Comment text", example="Updated dock firmware.")
    is_internal: bool = Field(..., description="True for internal notes hidden from the requester", example=True)
    created_at: Optional[str] = Field(None, description="Creation time", example="2026-03-02T09:00:00")


class CommentListResponse(BaseModel):
    ticket_id: int = Field(..., description="Ticket ID", example=12)
    comments: List[CommentResponse] = Field(..., description="Comments in chronological order")


def to_comment(session, c):
    return CommentResponse(
        id=c.id,
        ticket_id=c.ticket_id,
        author_id=c.author_id,
        author_name=user_name(session, c.author_id),
        body=c.body,
        is_internal=bool(c.is_internal),
        created_at=iso(c.created_at),
    )


@app.get(
    "/api/tickets/{ticket_id}/comments",
    summary="List ticket comments",
    description="List public replies and internal notes on a ticket in chronological order",
    tags=["comments"],
    operation_id="list_ticket_comments",
    response_model=CommentListResponse,
)
async def list_ticket_comments(
    ticket_id: int = Path(..., description="Ticket ID", example=12),
    include_internal: bool = Query(True, description="Include internal notes", example=True),
):
    session = SessionLocal()
    query = session.query(TicketComment).filter(TicketComment.ticket_id == ticket_id)
    if not include_internal:
        query = query.filter(TicketComment.is_internal == 0)
    comments = [to_comment(session, c) for c in query.order_by(TicketComment.created_at, TicketComment.id).all()]
    session.close()
    return CommentListResponse(ticket_id=ticket_id, comments=comments)


class CommentCreateRequest(BaseModel):
    body: str = Field(..., description="Comment text", example="Replaced the docking station.")
    is_internal: bool = Field(False, description="True to add an internal note instead of a public reply", example=True)


@app.post(
    "/api/tickets/{ticket_id}/comments",
    summary="Add a reply or internal note",
    description="Add a comment authored by the signed-in agent; a public reply records the first response time if not yet set",
    tags=["comments"],
    operation_id="add_ticket_comment",
    response_model=CommentResponse,
)
async def add_ticket_comment(
    ticket_id: int = Path(..., description="Ticket ID", example=12),
    body: CommentCreateRequest = Body(...),
):
    session = SessionLocal()
    now = datetime.now()
    c = TicketComment(
        ticket_id=ticket_id,
        author_id=1,
        body=body.body,
        is_internal=1 if body.is_internal else 0,
        created_at=now,
        updated_at=now,
    )
    session.add(c)
    t = session.query(Ticket).filter(Ticket.id == ticket_id).first()
    if t is not None:
        if not body.is_internal and t.first_response_at is None:
            t.first_response_at = now
        t.updated_at = now
    session.commit()
    session.refresh(c)
    ret = to_comment(session, c)
    session.close()
    return ret


class WorklogResponse(BaseModel):
    id: int = Field(..., description="Worklog ID", example=2)
    ticket_id: int = Field(..., description="Ticket ID", example=3)
    user_id: int = Field(..., description="User who did the work", example=1)
    user_name: Optional[str] = Field(None, description="Name of the user", example="Jordan Blake")
    minutes: int = Field(..., description="Minutes worked", example=45)
    note: Optional[str] = Field(None, description="What was done", example="Reviewed license server seat usage")
    work_date: str = Field(..., description="Date of the work (YYYY-MM-DD)", example="2026-02-26")


class WorklogListResponse(BaseModel):
    ticket_id: int = Field(..., description="Ticket ID", example=3)
    worklogs: List[WorklogResponse] = Field(..., description="Time entries on the ticket")
    total_minutes: int = Field(..., description="Sum of all logged minutes", example=95)
    average_minutes: float = Field(..., description="Average minutes per entry", example=31.67)


def to_worklog(session, w):
    return WorklogResponse(
        id=w.id,
        ticket_id=w.ticket_id,
        user_id=w.user_id,
        user_name=user_name(session, w.user_id),
        minutes=w.minutes,
        note=w.note,
        work_date=w.work_date,
    )


@app.get(
    "/api/tickets/{ticket_id}/worklogs",
    summary="List time logged on a ticket",
    description="List worklog entries for a ticket with the total and average minutes logged",
    tags=["worklogs"],
    operation_id="list_ticket_worklogs",
    response_model=WorklogListResponse,
)
async def list_ticket_worklogs(ticket_id: int = Path(..., description="Ticket ID", example=3)):
    session = SessionLocal()
    rows = session.query(Worklog).filter(Worklog.ticket_id == ticket_id).order_by(Worklog.work_date, Worklog.id).all()
    logs = [to_worklog(session, w) for w in rows]
    total = sum(w.minutes for w in rows)
    average = round(total / len(rows), 2)
    session.close()
    return WorklogListResponse(ticket_id=ticket_id, worklogs=logs, total_minutes=total, average_minutes=average)


class WorklogCreateRequest(BaseModel):
    minutes: int = Field(..., description="Minutes worked", example=30)
    note: Optional[str] = Field(None, description="What was done", example="Remote session with the user")
    work_date: Optional[str] = Field(None, description="Date of the work (YYYY-MM-DD); defaults to today", example="2026-03-02")


@app.post(
    "/api/tickets/{ticket_id}/worklogs",
    summary="Log work time on a ticket",
    description="Record minutes worked by the signed-in agent on a ticket",
    tags=["worklogs"],
    operation_id="log_work",
    response_model=WorklogResponse,
)
async def log_work(
    ticket_id: int = Path(..., description="Ticket ID", example=5),
    body: WorklogCreateRequest = Body(...),
):
    session = SessionLocal()
    now = datetime.now()
    w = Worklog(
        ticket_id=ticket_id,
        user_id=1,
        minutes=body.minutes,
        note=body.note,
        work_date=body.work_date or now.strftime("%Y-%m-%d"),
        created_at=now,
        updated_at=now,
    )
    session.add(w)
    session.commit()
    session.refresh(w)
    ret = to_worklog(session, w)
    session.close()
    return ret


class SlaBreachResponse(BaseModel):
    id: int = Field(..., description="Breach ID", example=2)
    ticket_id: int = Field(..., description="Ticket ID", example=4)
    ticket_number: Optional[str] = Field(None, description="Ticket number", example="INC-1004")
    ticket_subject: Optional[str] = Field(None, description="Ticket subject", example="Wi-Fi keeps dropping on floor 3")
    assignee_id: Optional[int] = Field(None, description="Agent assigned to the ticket", example=1)
    sla_policy_id: int = Field(..., description="SLA policy that was breached", example=2)
    breach_type: str = Field(..., description="response or resolution", example="resolution")
    due_at: Optional[str] = Field(None, description="When the target was due", example="2026-02-28T17:00:00")
    breached_at: Optional[str] = Field(None, description="When the breach was recorded", example="2026-02-28T17:00:00")
    is_acknowledged: bool = Field(..., description="Whether an agent acknowledged the breach", example=False)
    acknowledged_by: Optional[int] = Field(None, description="User who acknowledged it", example=None)
    acknowledged_at: Optional[str] = Field(None, description="When it was acknowledged", example=None)


class SlaBreachListResponse(BaseModel):
    breaches: List[SlaBreachResponse] = Field(..., description="Matching SLA breaches")


def to_breach(session, b):
    t = session.query(Ticket).filter(Ticket.id == b.ticket_id).first()
    return SlaBreachResponse(
        id=b.id,
        ticket_id=b.ticket_id,
        ticket_number=t.ticket_number if t else None,
        ticket_subject=t.subject if t else None,
        assignee_id=t.assignee_id if t else None,
        sla_policy_id=b.sla_policy_id,
        breach_type=b.breach_type,
        due_at=iso(b.due_at),
        breached_at=iso(b.breached_at),
        is_acknowledged=bool(b.is_acknowledged),
        acknowledged_by=b.acknowledged_by,
        acknowledged_at=iso(b.acknowledged_at),
    )


@app.get(
    "/api/sla-breaches",
    summary="List SLA breaches",
    description="List recorded SLA breaches, filterable by acknowledgement, breach type, ticket, and tickets assigned to the signed-in agent",
    tags=["sla"],
    operation_id="list_sla_breaches",
    response_model=SlaBreachListResponse,
)
async def list_sla_breaches(
    acknowledged: Optional[bool] = Query(None, description="true for acknowledged, false for unacknowledged breaches", example=False),
    breach_type: Optional[str] = Query(None, description="response or resolution", example="resolution"),
    ticket_id: Optional[int] = Query(None, description="Only breaches of this ticket", example=4),
    assigned_to_me: bool = Query(False, description="Only breaches on tickets assigned to the signed-in agent", example=True),
):
    session = SessionLocal()
    query = session.query(SlaBreach)
    if acknowledged is not None:
        query = query.filter(SlaBreach.is_acknowledged == (1 if acknowledged else 0))
    if breach_type:
        query = query.filter(SlaBreach.breach_type == breach_type)
    if ticket_id is not None:
        query = query.filter(SlaBreach.ticket_id == ticket_id)
    if assigned_to_me:
        mine = [t.id for t in session.query(Ticket).filter(Ticket.assignee_id == 1).all()]
        query = query.filter(SlaBreach.ticket_id.in_(mine))
    items = [to_breach(session, b) for b in query.order_by(SlaBreach.id).all()]
    session.close()
    return SlaBreachListResponse(breaches=items)


@app.post(
    "/api/sla-breaches/{breach_id}/acknowledge",
    summary="Acknowledge an SLA breach",
    description="Mark an SLA breach as acknowledged by the signed-in agent",
    tags=["sla"],
    operation_id="acknowledge_sla_breach",
    response_model=SlaBreachResponse,
)
async def acknowledge_sla_breach(breach_id: int = Path(..., description="Breach ID", example=2)):
    session = SessionLocal()
    b = session.query(SlaBreach).filter(SlaBreach.id == breach_id).first()
    now = datetime.now()
    b.is_acknowledged = 1
    b.acknowledged_by = 1
    b.acknowledged_at = now
    b.updated_at = now
    session.commit()
    session.refresh(b)
    ret = to_breach(session, b)
    session.close()
    return ret


class AssetResponse(BaseModel):
    id: int = Field(..., description="Asset ID", example=2)
    asset_tag: str = Field(..., description="Asset tag printed on the device", example="LT-0412")
    asset_type: str = Field(..., description="laptop, desktop, monitor, phone, peripheral or software_license", example="laptop")
    manufacturer: Optional[str] = Field(None, description="Manufacturer", example="Lenovo")
    model: str = Field(..., description="Model name", example="ThinkPad T14 Gen 4")
    serial_number: Optional[str] = Field(None, description="Serial number", example="PF4ZK2M1")
    status: str = Field(..., description="in_stock, in_use, repair or retired", example="in_use")
    assigned_to_id: Optional[int] = Field(None, description="User the asset is assigned to", example=8)
    assigned_to_name: Optional[str] = Field(None, description="Name of the assigned user", example="Marcus Lee")
    seat_count: Optional[int] = Field(None, description="Seats in a license pool", example=None)
    purchase_date: Optional[str] = Field(None, description="Purchase date", example="2024-05-14")
    warranty_expires_on: Optional[str] = Field(None, description="Warranty or subscription end date", example="2027-05-14")


class AssetListResponse(BaseModel):
    assets: List[AssetResponse] = Field(..., description="Matching assets")


def to_asset(session, a):
    return AssetResponse(
        id=a.id,
        asset_tag=a.asset_tag,
        asset_type=a.asset_type,
        manufacturer=a.manufacturer,
        model=a.model,
        serial_number=a.serial_number,
        status=a.status,
        assigned_to_id=a.assigned_to_id,
        assigned_to_name=user_name(session, a.assigned_to_id),
        seat_count=a.seat_count,
        purchase_date=a.purchase_date,
        warranty_expires_on=a.warranty_expires_on,
    )


@app.get(
    "/api/assets",
    summary="Search the asset register",
    description="List assets filtered by tag/model/serial search text, type, status or assigned user",
    tags=["assets"],
    operation_id="list_assets",
    response_model=AssetListResponse,
)
async def list_assets(
    search: Optional[str] = Query(None, description="Matches asset tag, model or serial number", example="LT-0412"),
    asset_type: Optional[str] = Query(None, description="Filter by asset type", example="laptop"),
    status: Optional[str] = Query(None, description="Filter by status", example="in_use"),
    assigned_to_id: Optional[int] = Query(None, description="Filter by assigned user ID", example=8),
):
    session = SessionLocal()
    query = session.query(Asset)
    if search:
        like = f"%{search}%"
        query = query.filter(or_(Asset.asset_tag.ilike(like), Asset.model.ilike(like), Asset.serial_number.ilike(like)))
    if asset_type:
        query = query.filter(Asset.asset_type == asset_type)
    if status:
        query = query.filter(Asset.status == status)
    if assigned_to_id is not None:
        query = query.filter(Asset.assigned_to_id == assigned_to_id)
    items = [to_asset(session, a) for a in query.order_by(Asset.id).all()]
    session.close()
    return AssetListResponse(assets=items)


@app.get(
    "/api/assets/{asset_id}",
    summary="Get an asset",
    description="Return one asset with owner, status and warranty information",
    tags=["assets"],
    operation_id="get_asset",
    response_model=AssetResponse,
)
async def get_asset(asset_id: int = Path(..., description="Asset ID", example=2)):
    session = SessionLocal()
    a = session.query(Asset).filter(Asset.id == asset_id).first()
    if a is None:
        session.close()
        raise HTTPException(status_code=404, detail="Asset not found")
    ret = to_asset(session, a)
    session.close()
    return ret


class AssetUpdateRequest(BaseModel):
    status: Optional[str] = Field(None, description="New status: in_stock, in_use, repair or retired", example="repair")
    assigned_to_id: Optional[int] = Field(None, description="New assigned user ID", example=10)


@app.patch(
    "/api/assets/{asset_id}",
    summary="Update an asset",
    description="Change the status or assigned user of an asset",
    tags=["assets"],
    operation_id="update_asset",
    response_model=AssetResponse,
)
async def update_asset(
    asset_id: int = Path(..., description="Asset ID", example=1),
    body: AssetUpdateRequest = Body(...),
):
    session = SessionLocal()
    a = session.query(Asset).filter(Asset.id == asset_id).first()
    if body.status is not None:
        a.status = body.status
    if body.assigned_to_id is not None:
        a.assigned_to_id = body.assigned_to_id
    a.updated_at = datetime.now()
    session.commit()
    session.refresh(a)
    ret = to_asset(session, a)
    session.close()
    return ret


class TicketAssetItem(BaseModel):
    link_id: int = Field(..., description="Ticket-asset link ID", example=2)
    asset_id: int = Field(..., description="Asset ID", example=2)
    asset_tag: str = Field(..., description="Asset tag", example="LT-0412")
    asset_type: str = Field(..., description="Asset type", example="laptop")
    manufacturer: Optional[str] = Field(None, description="Manufacturer", example="Lenovo")
    model: str = Field(..., description="Model", example="ThinkPad T14 Gen 4")
    serial_number: Optional[str] = Field(None, description="Serial number", example="PF4ZK2M1")
    status: str = Field(..., description="Asset status", example="in_use")
    warranty_expires_on: Optional[str] = Field(None, description="Warranty end date", example="2027-05-14")
    note: Optional[str] = Field(None, description="Why the asset is linked", example="Affected laptop")


class TicketAssetListResponse(BaseModel):
    ticket_id: int = Field(..., description="Ticket ID", example=7)
    assets: List[TicketAssetItem] = Field(..., description="Assets linked to the ticket")


@app.get(
    "/api/tickets/{ticket_id}/assets",
    summary="List assets linked to a ticket",
    description="List the devices and licenses linked to a ticket with tag, model, status and warranty date",
    tags=["assets"],
    operation_id="list_ticket_assets",
    response_model=TicketAssetListResponse,
)
async def list_ticket_assets(ticket_id: int = Path(..., description="Ticket ID", example=7)):
    session = SessionLocal()
    items = []
    for link in session.query(TicketAsset).filter(TicketAsset.ticket_id == ticket_id).order_by(TicketAsset.id).all():
        a = session.query(Asset).filter(Asset.id == link.asset_id).first()
        items.append(TicketAssetItem(
            link_id=link.id,
            asset_id=a.id,
            asset_tag=a.asset_tag,
            asset_type=a.asset_type,
            manufacturer=a.manufacturer,
            model=a.model,
            serial_number=a.serial_number,
            status=a.status,
            warranty_expires_on=a.warranty_expires_on,
            note=link.note,
        ))
    session.close()
    return TicketAssetListResponse(ticket_id=ticket_id, assets=items)


class TicketAssetLinkRequest(BaseModel):
    asset_id: int = Field(..., description="Asset ID to link", example=1)
    note: Optional[str] = Field(None, description="Why the asset is linked", example="Swollen battery")


class TicketAssetLinkResponse(BaseModel):
    id: int = Field(..., description="Link ID", example=7)
    ticket_id: int = Field(..., description="Ticket ID", example=11)
    asset_id: int = Field(..., description="Asset ID", example=1)
    linked_by: int = Field(..., description="User who linked the asset", example=1)
    note: Optional[str] = Field(None, description="Note", example="Swollen battery")
    created_at: Optional[str] = Field(None, description="Link time", example="2026-03-02T09:00:00")


@app.post(
    "/api/tickets/{ticket_id}/assets",
    summary="Link an asset to a ticket",
    description="Link an existing asset from the register to a ticket as an affected item",
    tags=["assets"],
    operation_id="link_asset_to_ticket",
    response_model=TicketAssetLinkResponse,
)
async def link_asset_to_ticket(
    ticket_id: int = Path(..., description="Ticket ID", example=11),
    body: TicketAssetLinkRequest = Body(...),
):
    session = SessionLocal()
    now = datetime.now()
    link = TicketAsset(ticket_id=ticket_id, asset_id=body.asset_id, linked_by=1, note=body.note, created_at=now, updated_at=now)
    session.add(link)
    session.commit()
    session.refresh(link)
    ret = TicketAssetLinkResponse(
        id=link.id,
        ticket_id=link.ticket_id,
        asset_id=link.asset_id,
        linked_by=link.linked_by,
        note=link.note,
        created_at=iso(link.created_at),
    )
    session.close()
    return ret


class KbArticleResponse(BaseModel):
    id: int = Field(..., description="Article ID", example=3)
    title: str = Field(..., description="Article title", example="Repairing an Outlook profile")
    slug: str = Field(..., description="URL slug", example="repairing-an-outlook-profile")
    body: str = Field(..., description="Article text", example="Close Outlook, open Control Panel > Mail ...")
    category_id: Optional[int] = Field(None, description="Category ID", example=3)
    author_id: int = Field(..., description="Author user ID", example=1)
    status: str = Field(..., description="draft, published or archived", example="published")
    view_count: int = Field(..., description="Number of views", example=265)
    published_at: Optional[str] = Field(None, description="Publication time", example="2025-10-03T09:00:00")
    created_at: Optional[str] = Field(None, description="Creation time", example="2025-10-01T09:00:00")


class KbArticleListResponse(BaseModel):
    articles: List[KbArticleResponse] = Field(..., description="Matching articles")


def to_article(a):
    return KbArticleResponse(
        id=a.id,
        title=a.title,
        slug=a.slug,
        body=a.body,
        category_id=a.category_id,
        author_id=a.author_id,
        status=a.status,
        view_count=a.view_count,
        published_at=iso(a.published_at),
        created_at=iso(a.created_at),
    )


@app.get(
    "/api/kb-articles",
    summary="Search knowledge-base articles",
    description="Search KB articles by text in title or body, optionally filtered by category and status",
    tags=["knowledge_base"],
    operation_id="search_kb_articles",
    response_model=KbArticleListResponse,
)
async def search_kb_articles(
    q: Optional[str] = Query(None, description="Text matched against title and body", example="Outlook"),
    category_id: Optional[int] = Query(None, description="Filter by category ID", example=3),
    status: Optional[str] = Query(None, description="Filter by status", example="published"),
):
    session = SessionLocal()
    query = session.query(KbArticle)
    if q:
        like = f"%{q}%"
        query = query.filter(or_(KbArticle.title.ilike(like), KbArticle.body.ilike(like)))
    if category_id is not None:
        query = query.filter(KbArticle.category_id == category_id)
    if status:
        query = query.filter(KbArticle.status == status)
    items = [to_article(a) for a in query.order_by(KbArticle.id).all()]
    session.close()
    return KbArticleListResponse(articles=items)


class KbArticleCreateRequest(BaseModel):
    title: str = Field(..., description="Article title", example="Resetting MFA after getting a new phone")
    body: str = Field(..., description="Article text", example="Open the self-service portal ...")
    category_id: int = Field(..., description="Category ID", example=4)
    status: str = Field("draft", description="draft or published", example="published")


@app.post(
    "/api/kb-articles",
    summary="Create a knowledge-base article",
    description="Create a KB article authored by the signed-in agent; status published sets the publication time",
    tags=["knowledge_base"],
    operation_id="create_kb_article",
    response_model=KbArticleResponse,
)
async def create_kb_article(body: KbArticleCreateRequest = Body(...)):
    session = SessionLocal()
    now = datetime.now()
    slug = re.sub(r"[^a-z0-9]+", "-", body.title.lower()).strip("-")
    a = KbArticle(
        title=body.title,
        slug=slug,
        body=body.body,
        category_id=body.category_id,
        author_id=1,
        status=body.status,
        view_count=0,
        published_at=now if body.status == "published" else None,
        created_at=now,
        updated_at=now,
    )
    session.add(a)
    session.commit()
    session.refresh(a)
    ret = to_article(a)
    session.close()
    return ret


class TicketKbLinkRequest(BaseModel):
    article_id: int = Field(..., description="KB article ID to link", example=3)


class TicketKbLinkResponse(BaseModel):
    id: int = Field(..., description="Link ID", example=5)
    ticket_id: int = Field(..., description="Ticket ID", example=5)
    article_id: int = Field(..., description="Article ID", example=3)
    article_title: Optional[str] = Field(None, description="Article title", example="Repairing an Outlook profile")
    linked_by: int = Field(..., description="User who linked the article", example=1)


@app.post(
    "/api/tickets/{ticket_id}/kb-links",
    summary="Link a KB article to a ticket",
    description="Attach a knowledge-base article to a ticket as a suggested fix",
    tags=["knowledge_base"],
    operation_id="link_kb_article_to_ticket",
    response_model=TicketKbLinkResponse,
)
async def link_kb_article_to_ticket(
    ticket_id: int = Path(..., description="Ticket ID", example=5),
    body: TicketKbLinkRequest = Body(...),
):
    session = SessionLocal()
    existing = session.query(TicketKbLink).filter(TicketKbLink.ticket_id == ticket_id, TicketKbLink.article_id == body.article_id).first()
    if existing is None:
        now = datetime.now()
        existing = TicketKbLink(ticket_id=ticket_id, article_id=body.article_id, linked_by=1, created_at=now, updated_at=now)
        session.add(existing)
        session.commit()
        session.refresh(existing)
    art = session.query(KbArticle).filter(KbArticle.id == existing.article_id).first()
    ret = TicketKbLinkResponse(
        id=existing.id,
        ticket_id=existing.ticket_id,
        article_id=existing.article_id,
        article_title=art.title if art else None,
        linked_by=existing.linked_by,
    )
    session.close()
    return ret


class ApprovalItem(BaseModel):
    id: int = Field(..., description="Approval ID", example=6)
    approver_id: int = Field(..., description="Approver user ID", example=1)
    approver_name: Optional[str] = Field(None, description="Approver name", example="Jordan Blake")
    decision: str = Field(..., description="pending, approved or rejected", example="pending")
    comment: Optional[str] = Field(None, description="Approver comment", example=None)
    decided_at: Optional[str] = Field(None, description="Decision time", example=None)


class ChangeRequestSummary(BaseModel):
    id: int = Field(..., description="Change request ID", example=3)
    change_number: str = Field(..., description="Change number", example="CHG-2003")
    title: str = Field(..., description="Title", example="Renew VPN gateway TLS certificate")
    change_type: str = Field(..., description="standard, normal or emergency", example="normal")
    risk_level: str = Field(..., description="low, medium or high", example="medium")
    status: str = Field(..., description="draft, pending_approval, approved, rejected, scheduled, implemented or cancelled", example="pending_approval")
    requested_by: int = Field(..., description="Requester user ID", example=4)
    assigned_team_id: Optional[int] = Field(None, description="Implementing team ID", example=3)
    planned_start: Optional[str] = Field(None, description="Planned start (YYYY-MM-DD HH:MM:SS)", example=None)
    planned_end: Optional[str] = Field(None, description="Planned end (YYYY-MM-DD HH:MM:SS)", example=None)


class ChangeRequestListResponse(BaseModel):
    change_requests: List[ChangeRequestSummary] = Field(..., description="Matching change requests")


class ChangeRequestDetail(ChangeRequestSummary):
    description: Optional[str] = Field(None, description="Description", example="Install the renewed certificate on both VPN gateways")
    related_ticket_id: Optional[int] = Field(None, description="Related ticket ID", example=None)
    rollback_plan: Optional[str] = Field(None, description="Rollback plan", example="Re-bind the previous certificate")
    implemented_at: Optional[str] = Field(None, description="Implementation time", example=None)
    approvals: List[ApprovalItem] = Field(..., description="CAB approvals")


def to_change_summary(c):
    return ChangeRequestSummary(
        id=c.id,
        change_number=c.change_number,
        title=c.title,
        change_type=c.change_type,
        risk_level=c.risk_level,
        status=c.status,
        requested_by=c.requested_by,
        assigned_team_id=c.assigned_team_id,
        planned_start=c.planned_start,
        planned_end=c.planned_end,
    )


def to_change_detail(session, c):
    approvals = []
    for ap in session.query(ChangeApproval).filter(ChangeApproval.change_request_id == c.id).order_by(ChangeApproval.id).all():
        approvals.append(ApprovalItem(
            id=ap.id,
            approver_id=ap.approver_id,
            approver_name=user_name(session, ap.approver_id),
            decision=ap.decision,
            comment=ap.comment,
            decided_at=iso(ap.decided_at),
        ))
    base = to_change_summary(c)
    return ChangeRequestDetail(
        **base.model_dump(),
        description=c.description,
        related_ticket_id=c.related_ticket_id,
        rollback_plan=c.rollback_plan,
        implemented_at=iso(c.implemented_at),
        approvals=approvals,
    )


@app.get(
    "/api/change-requests",
    summary="List change requests",
    description="List change requests, optionally filtered by change number or status",
    tags=["changes"],
    operation_id="list_change_requests",
    response_model=ChangeRequestListResponse,
)
async def list_change_requests(
    change_number: Optional[str] = Query(None, description="Exact change number", example="CHG-2003"),
    status: Optional[str] = Query(None, description="Filter by status", example="pending_approval"),
):
    session = SessionLocal()
    query = session.query(ChangeRequest)
    if change_number:
        query = query.filter(ChangeRequest.change_number == change_number)
    if status:
        query = query.filter(ChangeRequest.status == status)
    items = [to_change_summary(c) for c in query.order_by(ChangeRequest.id).all()]
    session.close()
    return ChangeRequestListResponse(change_requests=items)


@app.get(
    "/api/change-requests/{change_id}",
    summary="Get a change request with approvals",
    description="Return one change request with its rollback plan, planned window and every CAB approval",
    tags=["changes"],
    operation_id="get_change_request",
    response_model=ChangeRequestDetail,
)
async def get_change_request(change_id: int = Path(..., description="Change request ID", example=3)):
    session = SessionLocal()
    c = session.query(ChangeRequest).filter(ChangeRequest.id == change_id).first()
    if c is None:
        session.close()
        raise HTTPException(status_code=404, detail="Change request not found")
    ret = to_change_detail(session, c)
    session.close()
    return ret


class ApprovalDecisionRequest(BaseModel):
    decision: str = Field(..., description="approved or rejected", example="approved")
    comment: Optional[str] = Field(None, description="Comment recorded with the decision", example="Rollback plan reviewed")


@app.post(
    "/api/change-requests/{change_id}/decision",
    summary="Record my approval decision on a change",
    description="Record the signed-in user's CAB decision; the change becomes approved when all approvers approved, rejected on any rejection",
    tags=["changes"],
    operation_id="record_change_approval",
    response_model=ChangeRequestDetail,
)
async def record_change_approval(
    change_id: int = Path(..., description="Change request ID", example=3),
    body: ApprovalDecisionRequest = Body(...),
):
    session = SessionLocal()
    now = datetime.now()
    ap = session.query(ChangeApproval).filter(ChangeApproval.change_request_id == change_id, ChangeApproval.approver_id == 1).first()
    if ap is None:
        ap = ChangeApproval(change_request_id=change_id, approver_id=1, created_at=now)
        session.add(ap)
    ap.decision = body.decision
    ap.comment = body.comment
    ap.decided_at = now
    ap.updated_at = now
    session.flush()
    c = session.query(ChangeRequest).filter(ChangeRequest.id == change_id).first()
    decisions = [x.decision for x in session.query(ChangeApproval).filter(ChangeApproval.change_request_id == change_id).all()]
    if c.status == "pending_approval":
        if "rejected" in decisions:
            c.status = "rejected"
        elif all(d == "approved" for d in decisions):
            c.status = "approved"
    c.updated_at = now
    session.commit()
    session.refresh(c)
    ret = to_change_detail(session, c)
    session.close()
    return ret


class ChangeRequestUpdateRequest(BaseModel):
    title: Optional[str] = Field(None, description="New title", example="Renew VPN gateway TLS certificate")
    description: Optional[str] = Field(None, description="New description", example="Install on both gateways")
    risk_level: Optional[str] = Field(None, description="low, medium or high", example="medium")
    status: Optional[str] = Field(None, description="New status, e.g. scheduled, implemented or cancelled", example="scheduled")
    planned_start: Optional[str] = Field(None, description="Planned start (YYYY-MM-DD HH:MM:SS)", example="2026-03-05 22:00:00")
    planned_end: Optional[str] = Field(None, description="Planned end (YYYY-MM-DD HH:MM:SS)", example="2026-03-06 01:00:00")


@app.patch(
    "/api/change-requests/{change_id}",
    summary="Update or schedule a change request",
    description="Edit a change request or move it to scheduled/implemented/cancelled; only approved changes can be scheduled",
    tags=["changes"],
    operation_id="update_change_request",
    response_model=ChangeRequestDetail,
)
async def update_change_request(
    change_id: int = Path(..., description="Change request ID", example=3),
    body: ChangeRequestUpdateRequest = Body(...),
):
    session = SessionLocal()
    c = session.query(ChangeRequest).filter(ChangeRequest.id == change_id).first()
    if body.status == "scheduled" and c.status not in ("approved", "scheduled"):
        current = c.status
        session.close()
        raise HTTPException(status_code=400, detail=f"Change request must be approved before scheduling (current status: {current})")
    now = datetime.now()
    if body.title is not None:
        c.title = body.title
    if body.description is not None:
        c.description = body.description
    if body.risk_level is not None:
        c.risk_level = body.risk_level
    if body.planned_start is not None:
        c.planned_start = body.planned_start
    if body.planned_end is not None:
        c.planned_end = body.planned_end
    if body.status is not None:
        c.status = body.status
        if body.status == "implemented":
            c.implemented_at = now
    c.updated_at = now
    session.commit()
    session.refresh(c)
    ret = to_change_detail(session, c)
    session.close()
    return ret


class EscalationCreateRequest(BaseModel):
    to_team_id: int = Field(..., description="Team the ticket is escalated to", example=3)
    level: int = Field(1, description="Escalation level from 1 to 3", example=2)
    reason: str = Field(..., description="Why the ticket is escalated", example="Wi-Fi outage affecting all of floor 3")
    to_user_id: Optional[int] = Field(None, description="Specific agent in the target team", example=4)


class EscalationResponse(BaseModel):
    id: int = Field(..., description="Escalation ID", example=4)
    ticket_id: int = Field(..., description="Ticket ID", example=4)
    ticket_number: Optional[str] = Field(None, description="Ticket number", example="INC-1004")
    escalated_by: int = Field(..., description="User who escalated", example=1)
    from_team_id: Optional[int] = Field(None, description="Team before escalation", example=1)
    to_team_id: int = Field(..., description="Team escalated to", example=3)
    to_user_id: Optional[int] = Field(None, description="Agent escalated to", example=None)
    level: int = Field(..., description="Escalation level", example=2)
    reason: str = Field(..., description="Reason", example="Wi-Fi outage affecting all of floor 3")
    status: str = Field(..., description="open, acknowledged or resolved", example="open")
    created_at: Optional[str] = Field(None, description="Creation time", example="2026-03-02T09:00:00")


class EscalationListResponse(BaseModel):
    escalations: List[EscalationResponse] = Field(..., description="Matching escalations")


def to_escalation(session, e):
    t = session.query(Ticket).filter(Ticket.id == e.ticket_id).first()
    return EscalationResponse(
        id=e.id,
        ticket_id=e.ticket_id,
        ticket_number=t.ticket_number if t else None,
        escalated_by=e.escalated_by,
        from_team_id=e.from_team_id,
        to_team_id=e.to_team_id,
        to_user_id=e.to_user_id,
        level=e.level,
        reason=e.reason,
        status=e.status,
        created_at=iso(e.created_at),
    )


@app.post(
    "/api/tickets/{ticket_id}/escalations",
    summary="Escalate a ticket to another team",
    description="Create an escalation from the ticket's current team to another team at level 1-3 and route the ticket to that team",
    tags=["escalations"],
    operation_id="create_escalation",
    response_model=EscalationResponse,
)
async def create_escalation(
    ticket_id: int = Path(..., description="Ticket ID", example=4),
    body: EscalationCreateRequest = Body(...),
):
    session = SessionLocal()
    now = datetime.now()
    t = session.query(Ticket).filter(Ticket.id == ticket_id).first()
    e = Escalation(
        ticket_id=ticket_id,
        escalated_by=1,
        from_team_id=t.team_id,
        to_team_id=body.to_team_id,
        to_user_id=body.to_user_id,
        level=body.level,
        reason=body.reason,
        status="open",
        created_at=now,
        updated_at=now,
    )
    session.add(e)
    t.team_id = body.to_team_id
    if body.to_user_id is not None:
        t.assignee_id = body.to_user_id
    t.updated_at = now
    session.commit()
    session.refresh(e)
    ret = to_escalation(session, e)
    session.close()
    return ret


@app.get(
    "/api/escalations",
    summary="List escalations",
    description="List ticket escalations, optionally filtered by ticket or status",
    tags=["escalations"],
    operation_id="list_escalations",
    response_model=EscalationListResponse,
)
async def list_escalations(
    ticket_id: Optional[int] = Query(None, description="Filter by ticket ID", example=4),
    status: Optional[str] = Query(None, description="Filter by status", example="open"),
):
    session = SessionLocal()
    query = session.query(Escalation)
    if ticket_id is not None:
        query = query.filter(Escalation.ticket_id == ticket_id)
    if status:
        query = query.filter(Escalation.status == status)
    items = [to_escalation(session, e) for e in query.order_by(Escalation.id).all()]
    session.close()
    return EscalationListResponse(escalations=items)


if __name__ == "__main__":
    import uvicorn
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    uvicorn.run(app, host=host, port=port)
