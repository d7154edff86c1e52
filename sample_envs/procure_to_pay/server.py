import os
from datetime import datetime
from typing import List, Optional, Dict, Any
from fastapi import FastAPI, Query, Path, Body, HTTPException
from pydantic import BaseModel, Field, ConfigDict
from sqlalchemy import create_engine, Column, Integer, String, Float, DateTime, ForeignKey, Text, UniqueConstraint, func
from sqlalchemy.orm import declarative_base, sessionmaker

DATABASE_PATH = os.environ.get("DATABASE_PATH") or "sqlite:///procure_to_pay.db"
engine = create_engine(DATABASE_PATH, connect_args={"check_same_thread": False})
SessionLocal = sessionmaker(bind=engine, autoflush=False, expire_on_commit=False)
Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    full_name = Column(String, nullable=False)
    email = Column(String, nullable=False, unique=True)
    job_title = Column(String)
    department = Column(String)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class ApprovalLimit(Base):
    __tablename__ = "approval_limits"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True)
    max_po_amount = Column(Float, nullable=False)
    currency = Column(String, nullable=False, default="USD")
    effective_from = Column(String, nullable=False)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class CostCenter(Base):
    __tablename__ = "cost_centers"
    id = Column(Integer, primary_key=True)
    code = Column(String, nullable=False, unique=True)
    name = Column(String, nullable=False)
    manager_user_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"))
    is_active = Column(Integer, nullable=False, default=1)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class Budget(Base):
    __tablename__ = "budgets"
    id = Column(Integer, primary_key=True)
    cost_center_id = Column(Integer, ForeignKey("cost_centers.id", ondelete="CASCADE"), nullable=False)
    fiscal_year = Column(Integer, nullable=False)
    amount = Column(Float, nullable=False)
    committed_amount = Column(Float, nullable=False, default=0)
    spent_amount = Column(Float, nullable=False, default=0)
    currency = Column(String, nullable=False, default="USD")
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    __table_args__ = (UniqueConstraint("cost_center_id", "fiscal_year"),)


class Supplier(Base):
    __tablename__ = "suppliers"
    id = Column(Integer, primary_key=True)
    supplier_code = Column(String, nullable=False, unique=True)
    name = Column(String, nullable=False)
    status = Column(String, nullable=False, default="active")
    hold_reason = Column(Text)
    payment_terms = Column(String, nullable=False, default="net_30")
    contact_name = Column(String)
    contact_email = Column(String)
    phone = Column(String)
    tax_id = Column(String)
    rating = Column(Float)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    sku = Column(String, nullable=False, unique=True)
    name = Column(String, nullable=False)
    category = Column(String, nullable=False)
    unit_of_measure = Column(String, nullable=False, default="each")
    is_active = Column(Integer, nullable=False, default=1)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class SupplierPrice(Base):
    __tablename__ = "supplier_prices"
    id = Column(Integer, primary_key=True)
    supplier_id = Column(Integer, ForeignKey("suppliers.id", ondelete="CASCADE"), nullable=False)
    item_id = Column(Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False)
    unit_price = Column(Float, nullable=False)
    currency = Column(String, nullable=False, default="USD")
    min_order_qty = Column(Integer, nullable=False, default=1)
    lead_time_days = Column(Integer)
    valid_from = Column(String, nullable=False)
    valid_to = Column(String)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    __table_args__ = (UniqueConstraint("supplier_id", "item_id"),)


class Contract(Base):
    __tablename__ = "contracts"
    id = Column(Integer, primary_key=True)
    contract_number = Column(String, nullable=False, unique=True)
    supplier_id = Column(Integer, ForeignKey("suppliers.id", ondelete="RESTRICT"), nullable=False)
    owner_user_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    title = Column(String, nullable=False)
    status = Column(String, nullable=False, default="draft")
    start_date = Column(String, nullable=False)
    end_date = Column(String, nullable=False)
    total_value = Column(Float, nullable=False)
    spent_value = Column(Float, nullable=False, default=0)
    currency = Column(String, nullable=False, default="USD")
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class Requisition(Base):
    __tablename__ = "requisitions"
    id = Column(Integer, primary_key=True)
    req_number = Column(String, nullable=False, unique=True)
    requester_user_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    cost_center_id = Column(Integer, ForeignKey("cost_centers.id", ondelete="RESTRICT"), nullable=False)
    status = Column(String, nullable=False, default="draft")
    justification = Column(Text)
    needed_by = Column(String)
    total_estimate = Column(Float, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class RequisitionLine(Base):
    __tablename__ = "requisition_lines"
    id = Column(Integer, primary_key=True)
    requisition_id = Column(Integer, ForeignKey("requisitions.id", ondelete="CASCADE"), nullable=False)
    line_number = Column(Integer, nullable=False)
    item_id = Column(Integer, ForeignKey("items.id", ondelete="RESTRICT"), nullable=False)
    quantity = Column(Float, nullable=False)
    estimated_unit_price = Column(Float, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    __table_args__ = (UniqueConstraint("requisition_id", "line_number"),)


class PurchaseOrder(Base):
    __tablename__ = "purchase_orders"
    id = Column(Integer, primary_key=True)
    po_number = Column(String, nullable=False, unique=True)
    supplier_id = Column(Integer, ForeignKey("suppliers.id", ondelete="RESTRICT"), nullable=False)
    buyer_user_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    cost_center_id = Column(Integer, ForeignKey("cost_centers.id", ondelete="RESTRICT"), nullable=False)
    requisition_id = Column(Integer, ForeignKey("requisitions.id", ondelete="SET NULL"))
    contract_id = Column(Integer, ForeignKey("contracts.id", ondelete="SET NULL"))
    status = Column(String, nullable=False, default="draft")
    order_date = Column(String, nullable=False)
    expected_delivery_date = Column(String)
    total_amount = Column(Float, nullable=False, default=0)
    currency = Column(String, nullable=False, default="USD")
    notes = Column(Text)
    cancel_reason = Column(Text)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class PoLine(Base):
    __tablename__ = "po_lines"
    id = Column(Integer, primary_key=True)
    po_id = Column(Integer, ForeignKey("purchase_orders.id", ondelete="CASCADE"), nullable=False)
    line_number = Column(Integer, nullable=False)
    item_id = Column(Integer, ForeignKey("items.id", ondelete="RESTRICT"), nullable=False)
    description = Column(Text)
    quantity = Column(Float, nullable=False)
    unit_price = Column(Float, nullable=False)
    line_total = Column(Float, nullable=False)
    quantity_received = Column(Float, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    __table_args__ = (UniqueConstraint("po_id", "line_number"),)


class Approval(Base):
    __tablename__ = "approvals"
    id = Column(Integer, primary_key=True)
    po_id = Column(Integer, ForeignKey("purchase_orders.id", ondelete="CASCADE"), nullable=False)
    approver_user_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    level = Column(Integer, nullable=False, default=1)
    decision = Column(String, nullable=False, default="pending")
    amount = Column(Float, nullable=False)
    comment = Column(Text)
    requested_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    decided_at = Column(DateTime)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class GoodsReceipt(Base):
    __tablename__ = "goods_receipts"
    id = Column(Integer, primary_key=True)
    receipt_number = Column(String, nullable=False, unique=True)
    po_id = Column(Integer, ForeignKey("purchase_orders.id", ondelete="RESTRICT"), nullable=False)
    received_by_user_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    received_date = Column(String, nullable=False)
    status = Column(String, nullable=False, default="posted")
    notes = Column(Text)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class GoodsReceiptLine(Base):
    __tablename__ = "goods_receipt_lines"
    id = Column(Integer, primary_key=True)
    receipt_id = Column(Integer, ForeignKey("goods_receipts.id", ondelete="CASCADE"), nullable=False)
    po_line_id = Column(Integer, ForeignKey("po_lines.id", ondelete="RESTRICT"), nullable=False)
    quantity_received = Column(Float, nullable=False)
    quantity_rejected = Column(Float, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    __table_args__ = (UniqueConstraint("receipt_id", "po_line_id"),)


class Invoice(Base):
    __tablename__ = "invoices"
    id = Column(Integer, primary_key=True)
    invoice_number = Column(String, nullable=False)
    supplier_id = Column(Integer, ForeignKey("suppliers.id", ondelete="RESTRICT"), nullable=False)
    po_id = Column(Integer, ForeignKey("purchase_orders.id", ondelete="SET NULL"))
    invoice_date = Column(String, nullable=False)
    due_date = Column(String, nullable=False)
    amount = Column(Float, nullable=False)
    currency = Column(String, nullable=False, default="USD")
    status = Column(String, nullable=False, default="received")
    match_status = Column(String, nullable=False, default="pending")
    match_notes = Column(Text)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    __table_args__ = (UniqueConstraint("supplier_id", "invoice_number"),)


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"
    id = Column(Integer, primary_key=True)
    invoice_id = Column(Integer, ForeignKey("invoices.id", ondelete="CASCADE"), nullable=False)
    po_line_id = Column(Integer, ForeignKey("po_lines.id", ondelete="SET NULL"))
    description = Column(Text)
    quantity = Column(Float, nullable=False)
    unit_price = Column(Float, nullable=False)
    line_total = Column(Float, nullable=False)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class Payment(Base):
    __tablename__ = "payments"
    id = Column(Integer, primary_key=True)
    payment_number = Column(String, nullable=False, unique=True)
    invoice_id = Column(Integer, ForeignKey("invoices.id", ondelete="RESTRICT"), nullable=False)
    amount = Column(Float, nullable=False)
    method = Column(String, nullable=False)
    status = Column(String, nullable=False, default="scheduled")
    payment_date = Column(String, nullable=False)
    reference = Column(String)
    created_by_user_id = Column(Integer, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)


Base.metadata.create_all(engine)

app = FastAPI(title="Procure-to-Pay API", description="Purchasing, receiving, invoice matching and payments for the procurement office", version="1.0.0")


def to_iso(value):
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def next_document_number(session, column, prefix):
    values = [row[0] for row in session.query(column).filter(column.like(prefix + "%")).all()]
    numbers = [int(v.rsplit("-", 1)[1]) for v in values if v.rsplit("-", 1)[1].isdigit()]
    return f"{prefix}{(max(numbers) if numbers else 0) + 1:04d}"


def budget_for(session, cost_center_id, date_text):
    year = int(str(date_text)[:4]) if date_text else datetime.utcnow().year
    return session.query(Budget).filter(Budget.cost_center_id == cost_center_id, Budget.fiscal_year == year).first()


class SupplierOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Supplier ID", example=3)
    supplier_code: str = Field(..., description="Supplier code", example="SUP-1003")
    name: str = Field(..., description="Supplier legal name", example="Bluepeak Computing")
    status: str = Field(..., description="active, on_hold, blocked or inactive", example="active")
    hold_reason: Optional[str] = Field(None, description="Reason the supplier is on hold or blocked", example=None)
    payment_terms: str = Field(..., description="Payment terms code", example="net_45")
    contact_name: Optional[str] = Field(None, description="Primary contact", example="Ravi Shah")
    contact_email: Optional[str] = Field(None, description="Contact email", example="accounts@bluepeak.example")
    rating: Optional[float] = Field(None, description="Supplier rating 0-5", example=4.0)


class SupplierListOut(BaseModel):
    suppliers: List[SupplierOut] = Field(..., description="Matching suppliers")


class SupplierDetailOut(SupplierOut):
    phone: Optional[str] = Field(None, description="Contact phone", example="+1-415-555-0122")
    tax_id: Optional[str] = Field(None, description="Tax identification number", example="94-3318820")
    open_po_count: int = Field(..., description="POs for this supplier that are not closed or cancelled", example=2)
    active_contract_count: int = Field(..., description="Active contracts with this supplier", example=1)
    created_at: Optional[str] = Field(None, description="Creation timestamp", example="2024-03-02 10:00:00")
    updated_at: Optional[str] = Field(None, description="Last update timestamp", example="2026-05-08 14:00:00")


class SupplierUpdateIn(BaseModel):
    status: Optional[str] = Field(None, description="New status: active, on_hold, blocked or inactive", example="on_hold")
    hold_reason: Optional[str] = Field(None, description="Reason for a hold or block", example="Insurance certificate expired")
    payment_terms: Optional[str] = Field(None, description="due_on_receipt, net_15, net_30, net_45 or net_60", example="net_45")
    contact_name: Optional[str] = Field(None, description="Primary contact name", example="Gary Holt")
    contact_email: Optional[str] = Field(None, description="Contact email", example="orders@acme-industrial.example")
    phone: Optional[str] = Field(None, description="Contact phone", example="+1-312-555-0141")


class ItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int = Field(..., description="Item ID", example=1)
    sku: str = Field(..., description="Catalog SKU", example="LAP-14-PRO")
    name: str = Field(..., description="Item name", example="14-inch Pro Laptop, 32GB RAM, 1TB SSD")
    category: str = Field(..., description="Catalog category", example="IT Hardware")
    unit_of_measure: str = Field(..., description="Unit of measure", example="each")
    is_active: bool = Field(..., description="Whether the item can be ordered", example=True)


class ItemListOut(BaseModel):
    items: List[ItemOut] = Field(..., description="Matching catalog items")


class SupplierPriceOut(BaseModel):
    price_id: int = Field(..., description="Supplier price ID", example=10)
    supplier_id: int = Field(..., description="Supplier ID", example=6)
    supplier_name: str = Field(..., description="Supplier name", example="Vertex Tech Distribution")
    supplier_status: str = Field(..., description="Supplier status", example="active")
    item_id: int = Field(..., description="Item ID", example=1)
    unit_price: float = Field(..., description="Negotiated unit price", example=1345.0)
    currency: str = Field(..., description="Currency", example="USD")
    min_order_qty: int = Field(..., description="Minimum order quantity", example=5)
    lead_time_days: Optional[int] = Field(None, description="Lead time in days", example=14)
    valid_from: str = Field(..., description="Price valid from", example="2026-02-01")
    valid_to: Optional[str] = Field(None, description="Price valid to", example="2026-12-31")


class ItemPricesOut(BaseModel):
    item_id: int = Field(..., description="Item ID", example=1)
    sku: str = Field(..., description="Catalog SKU", example="LAP-14-PRO")
    prices: List[SupplierPriceOut] = Field(..., description="Prices sorted from lowest to highest")


class SupplierPriceUpdateIn(BaseModel):
    unit_price: Optional[float] = Field(None, description="New unit price", example=1329.0)
    valid_to: Optional[str] = Field(None, description="New end of validity (YYYY-MM-DD)", example="2026-12-31")
    lead_time_days: Optional[int] = Field(None, description="New lead time in days", example=12)


class ContractOut(BaseModel):
    id: int = Field(..., description="Contract ID", example=1)
    contract_number: str = Field(..., description="Contract number", example="CTR-2025-014")
    supplier_id: int = Field(..., description="Supplier ID", example=1)
    supplier_name: str = Field(..., description="Supplier name", example="Acme Industrial Parts")
    title: str = Field(..., description="Contract title", example="MRO parts and filters blanket agreement")
    status: str = Field(..., description="draft, active, expired or terminated", example="active")
    start_date: str = Field(..., description="Start date", example="2025-07-01")
    end_date: str = Field(..., description="End date", example="2026-06-30")
    total_value: float = Field(..., description="Contract ceiling value", example=60000.0)
    spent_value: float = Field(..., description="Value drawn down so far", example=21400.0)
    remaining_value: float = Field(..., description="total_value minus spent_value", example=38600.0)
    currency: str = Field(..., description="Currency", example="USD")


class ContractListOut(BaseModel):
    contracts: List[ContractOut] = Field(..., description="Matching contracts")


class ContractUpdateIn(BaseModel):
    status: Optional[str] = Field(None, description="New status: draft, active, expired or terminated", example="active")
    end_date: Optional[str] = Field(None, description="New end date (YYYY-MM-DD)", example="2027-06-30")
    total_value: Optional[float] = Field(None, description="New ceiling value", example=80000.0)


class RequisitionLineOut(BaseModel):
    id: int = Field(..., description="Requisition line ID", example=5)
    line_number: int = Field(..., description="Line number", example=1)
    item_id: int = Field(..., description="Item ID", example=5)
    sku: str = Field(..., description="Item SKU", example="PAP-A4-80")
    item_name: str = Field(..., description="Item name", example="A4 Copy Paper 80gsm, box of 5 reams")
    quantity: float = Field(..., description="Requested quantity", example=25)
    estimated_unit_price: float = Field(..., description="Estimated unit price", example=27.5)


class RequisitionOut(BaseModel):
    id: int = Field(..., description="Requisition ID", example=4)
    req_number: str = Field(..., description="Requisition number", example="REQ-2026-0019")
    requester_user_id: int = Field(..., description="Requester user ID", example=2)
    requester_name: str = Field(..., description="Requester name", example="Marcus Bell")
    cost_center_id: int = Field(..., description="Cost center ID", example=4)
    cost_center_code: str = Field(..., description="Cost center code", example="FIN-ADM")
    status: str = Field(..., description="draft, submitted, approved, rejected or converted", example="approved")
    justification: Optional[str] = Field(None, description="Business justification", example="Quarterly office supplies restock")
    needed_by: Optional[str] = Field(None, description="Needed-by date", example="2026-06-05")
    total_estimate: float = Field(..., description="Estimated total", example=1359.2)
    created_at: Optional[str] = Field(None, description="Creation timestamp", example="2026-05-12 14:00:00")


class RequisitionListOut(BaseModel):
    requisitions: List[RequisitionOut] = Field(..., description="Matching requisitions")


class RequisitionDetailOut(RequisitionOut):
    lines: List[RequisitionLineOut] = Field(..., description="Requisition lines")
    purchase_order_ids: List[int] = Field(..., description="POs created from this requisition", example=[])


class RequisitionLineIn(BaseModel):
    item_id: int = Field(..., description="Catalog item ID", example=4)
    quantity: float = Field(..., description="Quantity requested", example=4)
    estimated_unit_price: Optional[float] = Field(None, description="Estimated unit price", example=34.5)


class RequisitionCreateIn(BaseModel):
    cost_center_id: int = Field(..., description="Cost center to charge", example=5)
    justification: str = Field(..., description="Business justification", example="Keyboards for the procurement office")
    needed_by: Optional[str] = Field(None, description="Needed-by date (YYYY-MM-DD)", example="2026-06-30")
    lines: List[RequisitionLineIn] = Field(..., description="Requested items")


class ConvertRequisitionIn(BaseModel):
    supplier_id: int = Field(..., description="Supplier to order from", example=2)
    expected_delivery_date: Optional[str] = Field(None, description="Expected delivery date; defaults to needed_by", example="2026-06-05")
    contract_id: Optional[int] = Field(None, description="Contract to draw down", example=None)


class PoLineOut(BaseModel):
    id: int = Field(..., description="PO line ID", example=9)
    line_number: int = Field(..., description="Line number within the PO", example=1)
    item_id: int = Field(..., description="Item ID", example=12)
    sku: str = Field(..., description="Item SKU", example="BRG-6204")
    description: Optional[str] = Field(None, description="Line description", example="Ball Bearing 6204-2RS sealed")
    quantity: float = Field(..., description="Ordered quantity", example=200)
    unit_price: float = Field(..., description="Unit price", example=6.4)
    line_total: float = Field(..., description="quantity x unit_price", example=1280.0)
    quantity_received: float = Field(..., description="Quantity received so far", example=120)


class PurchaseOrderOut(BaseModel):
    id: int = Field(..., description="PO ID", example=7)
    po_number: str = Field(..., description="PO number", example="PO-2026-0044")
    supplier_id: int = Field(..., description="Supplier ID", example=1)
    supplier_name: str = Field(..., description="Supplier name", example="Acme Industrial Parts")
    cost_center_id: int = Field(..., description="Cost center ID", example=2)
    cost_center_code: str = Field(..., description="Cost center code", example="FAC-MNT")
    requisition_id: Optional[int] = Field(None, description="Source requisition ID", example=None)
    contract_id: Optional[int] = Field(None, description="Contract ID", example=1)
    status: str = Field(..., description="draft, submitted, approved, received, closed or cancelled", example="approved")
    order_date: str = Field(..., description="Order date", example="2026-04-29")
    expected_delivery_date: Optional[str] = Field(None, description="Expected delivery date", example="2026-05-13")
    total_amount: float = Field(..., description="PO total", example=1970.0)
    currency: str = Field(..., description="Currency", example="USD")
    notes: Optional[str] = Field(None, description="Notes", example="Bearings backordered")
    cancel_reason: Optional[str] = Field(None, description="Reason for cancellation", example=None)


class PurchaseOrderListOut(BaseModel):
    purchase_orders: List[PurchaseOrderOut] = Field(..., description="Matching purchase orders")


class PurchaseOrderDetailOut(PurchaseOrderOut):
    lines: List[PoLineOut] = Field(..., description="PO lines")
    receipt_numbers: List[str] = Field(..., description="Goods receipts posted against this PO", example=["GR-2026-0031"])
    invoice_numbers: List[str] = Field(..., description="Invoices referencing this PO", example=["INV-AC-5521"])


class PurchaseOrderCreateIn(BaseModel):
    supplier_id: int = Field(..., description="Supplier ID", example=6)
    cost_center_id: int = Field(..., description="Cost center to charge", example=1)
    expected_delivery_date: Optional[str] = Field(None, description="Expected delivery date (YYYY-MM-DD)", example="2026-06-15")
    contract_id: Optional[int] = Field(None, description="Contract to draw down", example=None)
    notes: Optional[str] = Field(None, description="Notes to supplier", example="Deliver to dock B")


class PoLineCreateIn(BaseModel):
    line_number: int = Field(..., description="Line number within the PO", example=3)
    item_id: int = Field(..., description="Catalog item ID", example=2)
    quantity: float = Field(..., description="Quantity to order", example=10)
    unit_price: float = Field(..., description="Unit price", example=289.0)
    description: Optional[str] = Field(None, description="Line description; defaults to the item name", example=None)


class PoLineUpdateIn(BaseModel):
    quantity: Optional[float] = Field(None, description="New quantity", example=12)
    unit_price: Optional[float] = Field(None, description="New unit price", example=279.0)


class PoLineChangeOut(BaseModel):
    line: PoLineOut = Field(..., description="The created or updated line")
    po_id: int = Field(..., description="PO ID", example=12)
    po_number: str = Field(..., description="PO number", example="PO-2026-0051")
    po_total_amount: float = Field(..., description="Recomputed PO total", example=6058.0)


class PoStatusIn(BaseModel):
    status: str = Field(..., description="Target status: submitted, cancelled, closed or draft", example="submitted")
    reason: Optional[str] = Field(None, description="Reason, stored as cancel_reason when cancelling", example="Supplier cannot meet delivery date")


class PoStatusOut(BaseModel):
    po_id: int = Field(..., description="PO ID", example=12)
    po_number: str = Field(..., description="PO number", example="PO-2026-0051")
    previous_status: str = Field(..., description="Status before the change", example="draft")
    status: str = Field(..., description="Status after the change", example="submitted")
    approval_id: Optional[int] = Field(None, description="Approval request created on submission", example=11)
    cancel_reason: Optional[str] = Field(None, description="Cancellation reason", example=None)


class ApprovalOut(BaseModel):
    approval_id: int = Field(..., description="Approval ID", example=9)
    po_id: int = Field(..., description="PO ID", example=9)
    po_number: str = Field(..., description="PO number", example="PO-2026-0047")
    supplier_name: str = Field(..., description="Supplier name", example="Bluepeak Computing")
    cost_center_code: str = Field(..., description="Cost center code", example="IT-OPS")
    amount: float = Field(..., description="Amount to approve", example=19446.0)
    level: int = Field(..., description="Approval level", example=1)
    decision: str = Field(..., description="pending, approved, rejected or escalated", example="pending")
    comment: Optional[str] = Field(None, description="Approver comment", example=None)
    requested_at: Optional[str] = Field(None, description="Requested at", example="2026-05-14 14:00:00")
    decided_at: Optional[str] = Field(None, description="Decided at", example=None)


class ApprovalListOut(BaseModel):
    approvals: List[ApprovalOut] = Field(..., description="Approvals assigned to the current user")


class ApprovalDecisionIn(BaseModel):
    decision: str = Field(..., description="approved or rejected", example="rejected")
    comment: Optional[str] = Field(None, description="Comment recorded with the decision", example="Exceeds quarterly hardware plan")


class ApprovalDecisionOut(BaseModel):
    approval_id: int = Field(..., description="Approval ID", example=9)
    decision: str = Field(..., description="Recorded decision", example="rejected")
    comment: Optional[str] = Field(None, description="Comment", example="Exceeds quarterly hardware plan")
    po_id: int = Field(..., description="PO ID", example=9)
    po_number: str = Field(..., description="PO number", example="PO-2026-0047")
    po_status: str = Field(..., description="PO status after the decision", example="draft")
    approver_limit: float = Field(..., description="Approver spending limit", example=25000.0)
    escalated_approval_id: Optional[int] = Field(None, description="New approval created when the amount exceeds the limit", example=None)
    decided_at: Optional[str] = Field(None, description="Decision timestamp", example="2026-05-20 14:05:00")


class ApprovalLimitOut(BaseModel):
    user_id: int = Field(..., description="User ID", example=1)
    full_name: str = Field(..., description="User name", example="Dana Whitfield")
    job_title: Optional[str] = Field(None, description="Job title", example="Senior Procurement Officer")
    max_po_amount: float = Field(..., description="Maximum PO amount the user may approve", example=25000.0)
    currency: str = Field(..., description="Currency", example="USD")
    effective_from: str = Field(..., description="Effective from", example="2026-01-01")


class ApprovalLimitListOut(BaseModel):
    limits: List[ApprovalLimitOut] = Field(..., description="Spending limits")


class ReceiptLineIn(BaseModel):
    po_line_id: int = Field(..., description="PO line ID being received", example=9)
    quantity_received: float = Field(..., description="Quantity accepted", example=80)
    quantity_rejected: Optional[float] = Field(0, description="Quantity rejected on arrival", example=0)


class GoodsReceiptCreateIn(BaseModel):
    po_id: int = Field(..., description="PO ID", example=7)
    received_date: str = Field(..., description="Date received (YYYY-MM-DD)", example="2026-05-20")
    notes: Optional[str] = Field(None, description="Receiving notes", example="Backorder delivered")
    lines: List[ReceiptLineIn] = Field(..., description="Received lines")


class ReceiptLineOut(BaseModel):
    po_line_id: int = Field(..., description="PO line ID", example=9)
    line_number: int = Field(..., description="PO line number", example=1)
    quantity_received: float = Field(..., description="Quantity received on this receipt", example=80)
    quantity_rejected: float = Field(..., description="Quantity rejected", example=0)
    total_received: float = Field(..., description="Total received on the PO line after this receipt", example=200)
    quantity_ordered: float = Field(..., description="Ordered quantity", example=200)


class GoodsReceiptOut(BaseModel):
    id: int = Field(..., description="Receipt ID", example=8)
    receipt_number: str = Field(..., description="Receipt number", example="GR-2026-0032")
    po_id: int = Field(..., description="PO ID", example=7)
    po_number: str = Field(..., description="PO number", example="PO-2026-0044")
    received_date: str = Field(..., description="Date received", example="2026-05-20")
    status: str = Field(..., description="posted or reversed", example="posted")
    notes: Optional[str] = Field(None, description="Notes", example=None)
    po_status: str = Field(..., description="PO status after receiving", example="received")
    lines: List[ReceiptLineOut] = Field(..., description="Receipt lines")


class GoodsReceiptListOut(BaseModel):
    receipts: List[GoodsReceiptOut] = Field(..., description="Goods receipts")


class InvoiceOut(BaseModel):
    id: int = Field(..., description="Invoice ID", example=7)
    invoice_number: str = Field(..., description="Supplier invoice number", example="INV-AC-5521")
    supplier_id: int = Field(..., description="Supplier ID", example=1)
    supplier_name: str = Field(..., description="Supplier name", example="Acme Industrial Parts")
    po_id: Optional[int] = Field(None, description="PO ID", example=7)
    po_number: Optional[str] = Field(None, description="PO number", example="PO-2026-0044")
    invoice_date: str = Field(..., description="Invoice date", example="2026-05-15")
    due_date: str = Field(..., description="Due date", example="2026-06-14")
    amount: float = Field(..., description="Invoice amount", example=1970.0)
    currency: str = Field(..., description="Currency", example="USD")
    status: str = Field(..., description="received, matched, exception, approved, paid or disputed", example="received")
    match_status: str = Field(..., description="pending, matched, mismatch or not_required", example="pending")
    match_notes: Optional[str] = Field(None, description="Match notes", example=None)


class InvoiceListOut(BaseModel):
    invoices: List[InvoiceOut] = Field(..., description="Matching invoices")


class InvoiceLineOut(BaseModel):
    id: int = Field(..., description="Invoice line ID", example=9)
    po_line_id: Optional[int] = Field(None, description="Matched PO line ID", example=9)
    description: Optional[str] = Field(None, description="Line description", example="Bearing 6204-2RS")
    quantity: float = Field(..., description="Invoiced quantity", example=200)
    unit_price: float = Field(..., description="Invoiced unit price", example=6.4)
    line_total: float = Field(..., description="Line total", example=1280.0)


class InvoiceDetailOut(InvoiceOut):
    lines: List[InvoiceLineOut] = Field(..., description="Invoice lines")
    paid_amount: float = Field(..., description="Sum of non-void payments", example=0.0)


class MatchLineOut(BaseModel):
    invoice_line_id: int = Field(..., description="Invoice line ID", example=9)
    po_line_number: Optional[int] = Field(None, description="PO line number", example=1)
    invoiced_qty: float = Field(..., description="Invoiced quantity", example=200)
    ordered_qty: Optional[float] = Field(None, description="Ordered quantity", example=200)
    received_qty: Optional[float] = Field(None, description="Received quantity", example=200)
    invoiced_unit_price: float = Field(..., description="Invoiced unit price", example=6.4)
    po_unit_price: Optional[float] = Field(None, description="PO unit price", example=6.4)
    result: str = Field(..., description="ok or mismatch", example="ok")


class MatchResultOut(BaseModel):
    invoice_id: int = Field(..., description="Invoice ID", example=7)
    invoice_number: str = Field(..., description="Invoice number", example="INV-AC-5521")
    po_number: str = Field(..., description="PO number", example="PO-2026-0044")
    match_status: str = Field(..., description="matched or mismatch", example="matched")
    status: str = Field(..., description="Invoice status after matching", example="matched")
    notes: List[str] = Field(..., description="Mismatch explanations", example=[])
    lines: List[MatchLineOut] = Field(..., description="Per-line comparison")


class InvoiceStatusIn(BaseModel):
    status: str = Field(..., description="approved, disputed or received", example="approved")
    note: Optional[str] = Field(None, description="Note stored in match_notes", example=None)


class PaymentOut(BaseModel):
    id: int = Field(..., description="Payment ID", example=5)
    payment_number: str = Field(..., description="Payment number", example="PMT-2026-0116")
    invoice_id: int = Field(..., description="Invoice ID", example=3)
    invoice_number: str = Field(..., description="Invoice number", example="INV-NW-88213")
    amount: float = Field(..., description="Payment amount", example=1284.5)
    method: str = Field(..., description="ach, wire, check or card", example="ach")
    status: str = Field(..., description="scheduled, sent, cleared or void", example="scheduled")
    payment_date: str = Field(..., description="Payment date", example="2026-05-26")
    reference: Optional[str] = Field(None, description="Bank reference", example=None)


class PaymentListOut(BaseModel):
    payments: List[PaymentOut] = Field(..., description="Payments")


class PaymentCreateIn(BaseModel):
    invoice_id: int = Field(..., description="Invoice ID", example=3)
    amount: float = Field(..., description="Amount to pay", example=1284.5)
    method: str = Field(..., description="ach, wire, check or card", example="ach")
    payment_date: str = Field(..., description="Payment date (YYYY-MM-DD)", example="2026-05-26")
    reference: Optional[str] = Field(None, description="Bank reference", example="ACH-88103310")


class PaymentCreateOut(PaymentOut):
    invoice_status: str = Field(..., description="Invoice status after the payment", example="paid")
    invoice_paid_amount: float = Field(..., description="Total paid on the invoice", example=1284.5)


class CostCenterOut(BaseModel):
    id: int = Field(..., description="Cost center ID", example=1)
    code: str = Field(..., description="Cost center code", example="IT-OPS")
    name: str = Field(..., description="Cost center name", example="IT Operations")
    manager_user_id: Optional[int] = Field(None, description="Manager user ID", example=3)
    manager_name: Optional[str] = Field(None, description="Manager name", example="Priya Raman")
    is_active: bool = Field(..., description="Active flag", example=True)


class CostCenterListOut(BaseModel):
    cost_centers: List[CostCenterOut] = Field(..., description="Cost centers")


class BudgetOut(BaseModel):
    id: int = Field(..., description="Budget ID", example=6)
    cost_center_id: int = Field(..., description="Cost center ID", example=1)
    cost_center_code: str = Field(..., description="Cost center code", example="IT-OPS")
    fiscal_year: int = Field(..., description="Fiscal year", example=2026)
    amount: float = Field(..., description="Budget amount", example=120000.0)
    committed_amount: float = Field(..., description="Committed on approved POs", example=38420.0)
    spent_amount: float = Field(..., description="Spent (paid)", example=63129.5)
    remaining_amount: float = Field(..., description="amount - committed_amount - spent_amount", example=18450.5)
    currency: str = Field(..., description="Currency", example="USD")


class BudgetListOut(BaseModel):
    budgets: List[BudgetOut] = Field(..., description="Budgets")


def supplier_out(s):
    return SupplierOut(id=s.id, supplier_code=s.supplier_code, name=s.name, status=s.status, hold_reason=s.hold_reason, payment_terms=s.payment_terms, contact_name=s.contact_name, contact_email=s.contact_email, rating=s.rating)


def po_out(session, po):
    supplier = session.query(Supplier).filter(Supplier.id == po.supplier_id).first()
    cc = session.query(CostCenter).filter(CostCenter.id == po.cost_center_id).first()
    return dict(
        id=po.id,
        po_number=po.po_number,
        supplier_id=po.supplier_id,
        supplier_name=supplier.name if supplier else "",
        cost_center_id=po.cost_center_id,
        cost_center_code=cc.code if cc else "",
        requisition_id=po.requisition_id,
        contract_id=po.contract_id,
        status=po.status,
        order_date=po.order_date,
        expected_delivery_date=po.expected_delivery_date,
        total_amount=round(po.total_amount or 0, 2),
        currency=po.currency,
        notes=po.notes,
        cancel_reason=po.cancel_reason,
    )


def po_line_out(session, line):
    item = session.query(Item).filter(Item.id == line.item_id).first()
    return PoLineOut(
        id=line.id,
        line_number=line.line_number,
        item_id=line.item_id,
        sku=item.sku if item else "",
        description=line.description,
        quantity=line.quantity,
        unit_price=line.unit_price,
        line_total=round(line.line_total, 2),
        quantity_received=line.quantity_received or 0,
    )


def invoice_out(session, inv):
    supplier = session.query(Supplier).filter(Supplier.id == inv.supplier_id).first()
    po = session.query(PurchaseOrder).filter(PurchaseOrder.id == inv.po_id).first() if inv.po_id else None
    return dict(
        id=inv.id,
        invoice_number=inv.invoice_number,
        supplier_id=inv.supplier_id,
        supplier_name=supplier.name if supplier else "",
        po_id=inv.po_id,
        po_number=po.po_number if po else None,
        invoice_date=inv.invoice_date,
        due_date=inv.due_date,
        amount=round(inv.amount, 2),
        currency=inv.currency,
        status=inv.status,
        match_status=inv.match_status,
        match_notes=inv.match_notes,
    )


def receipt_out(session, receipt):
    po = session.query(PurchaseOrder).filter(PurchaseOrder.id == receipt.po_id).first()
    lines = []
    for rl in session.query(GoodsReceiptLine).filter(GoodsReceiptLine.receipt_id == receipt.id).order_by(GoodsReceiptLine.id).all():
        pl = session.query(PoLine).filter(PoLine.id == rl.po_line_id).first()
        lines.append(ReceiptLineOut(po_line_id=rl.po_line_id, line_number=pl.line_number, quantity_received=rl.quantity_received, quantity_rejected=rl.quantity_rejected or 0, total_received=pl.quantity_received, quantity_ordered=pl.quantity))
    return GoodsReceiptOut(id=receipt.id, receipt_number=receipt.receipt_number, po_id=receipt.po_id, po_number=po.po_number, received_date=receipt.received_date, status=receipt.status, notes=receipt.notes, po_status=po.status, lines=lines)


def payment_out(session, p):
    inv = session.query(Invoice).filter(Invoice.id == p.invoice_id).first()
    return dict(id=p.id, payment_number=p.payment_number, invoice_id=p.invoice_id, invoice_number=inv.invoice_number if inv else "", amount=round(p.amount, 2), method=p.method, status=p.status, payment_date=p.payment_date, reference=p.reference)


@app.get(
    "/api/suppliers",
    summary="List suppliers",
    description="List suppliers, optionally filtered by status and a search text matched against name or supplier code.",
    tags=["suppliers"],
    operation_id="list_suppliers",
    response_model=SupplierListOut,
)
async def list_suppliers(
    status: Optional[str] = Query(None, description="Filter by status: active, on_hold, blocked or inactive", example="active"),
    search: Optional[str] = Query(None, description="Case-insensitive text matched against name or code", example="Acme"),
):
    session = SessionLocal()
    query = session.query(Supplier)
    if status:
        query = query.filter(Supplier.status == status)
    if search:
        pattern = f"%{search}%"
        query = query.filter((Supplier.name.ilike(pattern)) | (Supplier.supplier_code.ilike(pattern)))
    suppliers = [supplier_out(s) for s in query.order_by(Supplier.name).all()]
    session.close()
    return SupplierListOut(suppliers=suppliers)


@app.get(
    "/api/suppliers/{supplier_id}",
    summary="Get supplier details",
    description="Return one supplier with contact data, open PO count and active contract count.",
    tags=["suppliers"],
    operation_id="get_supplier",
    response_model=SupplierDetailOut,
)
async def get_supplier(supplier_id: int = Path(..., description="Supplier ID", example=3)):
    session = SessionLocal()
    s = session.query(Supplier).filter(Supplier.id == supplier_id).first()
    if s is None:
        session.close()
        raise HTTPException(status_code=404, detail="Supplier not found")
    open_pos = session.query(PurchaseOrder).filter(PurchaseOrder.supplier_id == s.id, PurchaseOrder.status.notin_(["closed", "cancelled"])).count()
    contracts = session.query(Contract).filter(Contract.supplier_id == s.id, Contract.status == "active").count()
    result = SupplierDetailOut(**supplier_out(s).model_dump(), phone=s.phone, tax_id=s.tax_id, open_po_count=open_pos, active_contract_count=contracts, created_at=to_iso(s.created_at), updated_at=to_iso(s.updated_at))
    session.close()
    return result


@app.patch(
    "/api/suppliers/{supplier_id}",
    summary="Update a supplier",
    description="Change a supplier's status (e.g. put on hold with a reason), payment terms or contact details.",
    tags=["suppliers"],
    operation_id="update_supplier",
    response_model=SupplierOut,
)
async def update_supplier(
    supplier_id: int = Path(..., description="Supplier ID", example=7),
    body: SupplierUpdateIn = Body(...),
):
    session = SessionLocal()
    s = session.query(Supplier).filter(Supplier.id == supplier_id).first()
    data = body.model_dump(exclude_unset=True)
    for key, value in data.items():
        if value is not None:
            setattr(s, key, value)
    if data.get("status") == "active":
        s.hold_reason = None
    s.updated_at = datetime.utcnow()
    session.commit()
    result = supplier_out(s)
    session.close()
    return result


@app.get(
    "/api/items",
    summary="Search the catalog",
    description="List catalog items, optionally filtered by category or a search text matched against SKU or name.",
    tags=["catalog"],
    operation_id="list_catalog_items",
    response_model=ItemListOut,
)
async def list_catalog_items(
    category: Optional[str] = Query(None, description="Catalog category", example="IT Hardware"),
    search: Optional[str] = Query(None, description="Text matched against SKU or item name", example="LAP-14-PRO"),
):
    session = SessionLocal()
    query = session.query(Item)
    if category:
        query = query.filter(Item.category == category)
    if search:
        pattern = f"%{search}%"
        query = query.filter((Item.sku.ilike(pattern)) | (Item.name.ilike(pattern)))
    items = [ItemOut(id=i.id, sku=i.sku, name=i.name, category=i.category, unit_of_measure=i.unit_of_measure, is_active=bool(i.is_active)) for i in query.order_by(Item.sku).all()]
    session.close()
    return ItemListOut(items=items)


@app.get(
    "/api/items/{item_id}/supplier_prices",
    summary="Compare supplier prices for an item",
    description="List every supplier price for a catalog item, lowest first, with the supplier status so inactive sources can be skipped.",
    tags=["catalog", "suppliers"],
    operation_id="list_item_supplier_prices",
    response_model=ItemPricesOut,
)
async def list_item_supplier_prices(
    item_id: int = Path(..., description="Catalog item ID", example=1),
    active_suppliers_only: Optional[bool] = Query(False, description="Only include suppliers with status active", example=False),
):
    session = SessionLocal()
    item = session.query(Item).filter(Item.id == item_id).first()
    rows = session.query(SupplierPrice, Supplier).join(Supplier, Supplier.id == SupplierPrice.supplier_id).filter(SupplierPrice.item_id == item_id).order_by(SupplierPrice.unit_price).all()
    prices = []
    for price, supplier in rows:
        if active_suppliers_only and supplier.status != "active":
            continue
        prices.append(SupplierPriceOut(price_id=price.id, supplier_id=supplier.id, supplier_name=supplier.name, supplier_status=supplier.status, item_id=price.item_id, unit_price=price.unit_price, currency=price.currency, min_order_qty=price.min_order_qty, lead_time_days=price.lead_time_days, valid_from=price.valid_from, valid_to=price.valid_to))
    result = ItemPricesOut(item_id=item_id, sku=item.sku, prices=prices)
    session.close()
    return result


@app.patch(
    "/api/supplier_prices/{price_id}",
    summary="Update a supplier price",
    description="Change the negotiated unit price, validity end date or lead time of a supplier price.",
    tags=["catalog", "suppliers"],
    operation_id="update_supplier_price",
    response_model=SupplierPriceOut,
)
async def update_supplier_price(
    price_id: int = Path(..., description="Supplier price ID", example=10),
    body: SupplierPriceUpdateIn = Body(...),
):
    session = SessionLocal()
    price = session.query(SupplierPrice).filter(SupplierPrice.id == price_id).first()
    if body.unit_price is not None:
        price.unit_price = body.unit_price
    if body.valid_to is not None:
        price.valid_to = body.valid_to
    if body.lead_time_days is not None:
        price.lead_time_days = body.lead_time_days
    price.updated_at = datetime.utcnow()
    session.commit()
    supplier = session.query(Supplier).filter(Supplier.id == price.supplier_id).first()
    result = SupplierPriceOut(price_id=price.id, supplier_id=supplier.id, supplier_name=supplier.name, supplier_status=supplier.status, item_id=price.item_id, unit_price=price.unit_price, currency=price.currency, min_order_qty=price.min_order_qty, lead_time_days=price.lead_time_days, valid_from=price.valid_from, valid_to=price.valid_to)
    session.close()
    return result


@app.get(
    "/api/contracts",
    summary="List contracts",
    description="List supplier contracts with remaining value, optionally filtered by supplier and status.",
    tags=["contracts"],
    operation_id="list_contracts",
    response_model=ContractListOut,
)
async def list_contracts(
    supplier_id: Optional[int] = Query(None, description="Supplier ID", example=1),
    status: Optional[str] = Query(None, description="draft, active, expired or terminated", example="active"),
):
    session = SessionLocal()
    query = session.query(Contract, Supplier).join(Supplier, Supplier.id == Contract.supplier_id)
    if supplier_id is not None:
        query = query.filter(Contract.supplier_id == supplier_id)
    if status:
        query = query.filter(Contract.status == status)
    contracts = []
    for c, s in query.order_by(Contract.contract_number).all():
        contracts.append(ContractOut(id=c.id, contract_number=c.contract_number, supplier_id=c.supplier_id, supplier_name=s.name, title=c.title, status=c.status, start_date=c.start_date, end_date=c.end_date, total_value=c.total_value, spent_value=c.spent_value, remaining_value=round(c.total_value - c.spent_value, 2), currency=c.currency))
    session.close()
    return ContractListOut(contracts=contracts)


@app.patch(
    "/api/contracts/{contract_id}",
    summary="Update a contract",
    description="Change a contract's status, end date or ceiling value (e.g. activate a draft or extend an agreement).",
    tags=["contracts"],
    operation_id="update_contract",
    response_model=ContractOut,
)
async def update_contract(
    contract_id: int = Path(..., description="Contract ID", example=6),
    body: ContractUpdateIn = Body(...),
):
    session = SessionLocal()
    c = session.query(Contract).filter(Contract.id == contract_id).first()
    if body.status is not None:
        c.status = body.status
    if body.end_date is not None:
        c.end_date = body.end_date
    if body.total_value is not None:
        c.total_value = body.total_value
    c.updated_at = datetime.utcnow()
    session.commit()
    s = session.query(Supplier).filter(Supplier.id == c.supplier_id).first()
    result = ContractOut(id=c.id, contract_number=c.contract_number, supplier_id=c.supplier_id, supplier_name=s.name, title=c.title, status=c.status, start_date=c.start_date, end_date=c.end_date, total_value=c.total_value, spent_value=c.spent_value, remaining_value=round(c.total_value - c.spent_value, 2), currency=c.currency)
    session.close()
    return result


def requisition_out(session, r):
    user = session.query(User).filter(User.id == r.requester_user_id).first()
    cc = session.query(CostCenter).filter(CostCenter.id == r.cost_center_id).first()
    return dict(id=r.id, req_number=r.req_number, requester_user_id=r.requester_user_id, requester_name=user.full_name if user else "", cost_center_id=r.cost_center_id, cost_center_code=cc.code if cc else "", status=r.status, justification=r.justification, needed_by=r.needed_by, total_estimate=round(r.total_estimate or 0, 2), created_at=to_iso(r.created_at))


@app.get(
    "/api/requisitions",
    summary="List purchase requisitions",
    description="List purchase requisitions, optionally filtered by status and cost center.",
    tags=["requisitions"],
    operation_id="list_requisitions",
    response_model=RequisitionListOut,
)
async def list_requisitions(
    status: Optional[str] = Query(None, description="draft, submitted, approved, rejected or converted", example="approved"),
    cost_center_id: Optional[int] = Query(None, description="Cost center ID", example=4),
):
    session = SessionLocal()
    query = session.query(Requisition)
    if status:
        query = query.filter(Requisition.status == status)
    if cost_center_id is not None:
        query = query.filter(Requisition.cost_center_id == cost_center_id)
    result = [RequisitionOut(**requisition_out(session, r)) for r in query.order_by(Requisition.req_number).all()]
    session.close()
    return RequisitionListOut(requisitions=result)


@app.get(
    "/api/requisitions/{requisition_id}",
    summary="Get a requisition with lines",
    description="Return one requisition with its line items and any purchase orders created from it.",
    tags=["requisitions"],
    operation_id="get_requisition",
    response_model=RequisitionDetailOut,
)
async def get_requisition(requisition_id: int = Path(..., description="Requisition ID", example=4)):
    session = SessionLocal()
    r = session.query(Requisition).filter(Requisition.id == requisition_id).first()
    lines = []
    for line in session.query(RequisitionLine).filter(RequisitionLine.requisition_id == requisition_id).order_by(RequisitionLine.line_number).all():
        item = session.query(Item).filter(Item.id == line.item_id).first()
        lines.append(RequisitionLineOut(id=line.id, line_number=line.line_number, item_id=line.item_id, sku=item.sku, item_name=item.name, quantity=line.quantity, estimated_unit_price=line.estimated_unit_price))
    po_ids = [p.id for p in session.query(PurchaseOrder).filter(PurchaseOrder.requisition_id == requisition_id).all()]
    result = RequisitionDetailOut(**requisition_out(session, r), lines=lines, purchase_order_ids=po_ids)
    session.close()
    return result


@app.post(
    "/api/requisitions",
    summary="Create a purchase requisition",
    description="Create a draft requisition for the current user with one or more catalog lines.",
    tags=["requisitions"],
    operation_id="create_requisition",
    response_model=RequisitionDetailOut,
)
async def create_requisition(body: RequisitionCreateIn = Body(...)):
    session = SessionLocal()
    now = datetime.utcnow()
    req = Requisition(req_number=next_document_number(session, Requisition.req_number, f"REQ-{now.year}-"), requester_user_id=1, cost_center_id=body.cost_center_id, status="draft", justification=body.justification, needed_by=body.needed_by, total_estimate=0, created_at=now, updated_at=now)
    session.add(req)
    session.flush()
    total = 0.0
    lines = []
    for index, line in enumerate(body.lines, start=1):
        item = session.query(Item).filter(Item.id == line.item_id).first()
        price = line.estimated_unit_price if line.estimated_unit_price is not None else 0.0
        rl = RequisitionLine(requisition_id=req.id, line_number=index, item_id=line.item_id, quantity=line.quantity, estimated_unit_price=price, created_at=now, updated_at=now)
        session.add(rl)
        session.flush()
        total += line.quantity * price
        lines.append(RequisitionLineOut(id=rl.id, line_number=index, item_id=item.id, sku=item.sku, item_name=item.name, quantity=line.quantity, estimated_unit_price=price))
    req.total_estimate = round(total, 2)
    session.commit()
    result = RequisitionDetailOut(**requisition_out(session, req), lines=lines, purchase_order_ids=[])
    session.close()
    return result


@app.post(
    "/api/requisitions/{requisition_id}/convert",
    summary="Convert an approved requisition into a draft PO",
    description="Create a draft purchase order for the chosen supplier from an approved requisition, pricing lines from the supplier price list.",
    tags=["requisitions", "purchase_orders"],
    operation_id="convert_requisition_to_po",
    response_model=PurchaseOrderDetailOut,
)
async def convert_requisition_to_po(
    requisition_id: int = Path(..., description="Requisition ID", example=4),
    body: ConvertRequisitionIn = Body(...),
):
    session = SessionLocal()
    req = session.query(Requisition).filter(Requisition.id == requisition_id).first()
    if req is None or req.status != "approved":
        session.close()
        raise HTTPException(status_code=409, detail="Only approved requisitions can be converted")
    now = datetime.utcnow()
    po = PurchaseOrder(
        po_number=next_document_number(session, PurchaseOrder.po_number, f"PO-{now.year}-"),
        supplier_id=body.supplier_id,
        buyer_user_id=1,
        cost_center_id=req.cost_center_id,
        requisition_id=req.id,
        contract_id=body.contract_id,
        status="draft",
        order_date=now.strftime("%Y-%m-%d"),
        expected_delivery_date=body.expected_delivery_date or req.needed_by,
        total_amount=0,
        currency="USD",
        notes=f"From {req.req_number}",
        created_at=now,
        updated_at=now,
    )
    session.add(po)
    session.flush()
    total = 0.0
    for rl in session.query(RequisitionLine).filter(RequisitionLine.requisition_id == req.id).order_by(RequisitionLine.line_number).all():
        item = session.query(Item).filter(Item.id == rl.item_id).first()
        sp = session.query(SupplierPrice).filter(SupplierPrice.supplier_id == body.supplier_id, SupplierPrice.item_id == rl.item_id).first()
        unit_price = sp.unit_price if sp else rl.estimated_unit_price
        line_total = round(rl.quantity * unit_price, 2)
        session.add(PoLine(po_id=po.id, line_number=rl.line_number, item_id=rl.item_id, description=item.name, quantity=rl.quantity, unit_price=unit_price, line_total=line_total, quantity_received=0, created_at=now, updated_at=now))
        total += line_total
    po.total_amount = round(total, 2)
    req.status = "converted"
    req.updated_at = now
    session.commit()
    lines = [po_line_out(session, l) for l in session.query(PoLine).filter(PoLine.po_id == po.id).order_by(PoLine.line_number).all()]
    result = PurchaseOrderDetailOut(**po_out(session, po), lines=lines, receipt_numbers=[], invoice_numbers=[])
    session.close()
    return result


@app.get(
    "/api/purchase_orders",
    summary="List purchase orders",
    description="List purchase orders bought by the current user, filtered by status, supplier, cost center or exact PO number.",
    tags=["purchase_orders"],
    operation_id="list_purchase_orders",
    response_model=PurchaseOrderListOut,
)
async def list_purchase_orders(
    status: Optional[str] = Query(None, description="draft, submitted, approved, received, closed or cancelled", example="approved"),
    supplier_id: Optional[int] = Query(None, description="Supplier ID", example=1),
    cost_center_id: Optional[int] = Query(None, description="Cost center ID", example=2),
    po_number: Optional[str] = Query(None, description="Exact PO number", example="PO-2026-0044"),
):
    session = SessionLocal()
    query = session.query(PurchaseOrder).filter(PurchaseOrder.buyer_user_id == 1)
    if status:
        query = query.filter(PurchaseOrder.status == status)
    if supplier_id is not None:
        query = query.filter(PurchaseOrder.supplier_id == supplier_id)
    if cost_center_id is not None:
        query = query.filter(PurchaseOrder.cost_center_id == cost_center_id)
    if po_number:
        query = query.filter(PurchaseOrder.po_number == po_number)
    result = [PurchaseOrderOut(**po_out(session, po)) for po in query.order_by(PurchaseOrder.po_number).all()]
    session.close()
    return PurchaseOrderListOut(purchase_orders=result)


@app.get(
    "/api/purchase_orders/{po_id}",
    summary="Get a purchase order with lines",
    description="Return one purchase order with its lines, received quantities, goods receipts and invoices.",
    tags=["purchase_orders"],
    operation_id="get_purchase_order",
    response_model=PurchaseOrderDetailOut,
)
async def get_purchase_order(po_id: int = Path(..., description="PO ID", example=7)):
    session = SessionLocal()
    po = session.query(PurchaseOrder).filter(PurchaseOrder.id == po_id).first()
    if po is None:
        session.close()
        raise HTTPException(status_code=404, detail="Purchase order not found")
    lines = [po_line_out(session, l) for l in session.query(PoLine).filter(PoLine.po_id == po.id).order_by(PoLine.line_number).all()]
    receipts = [r.receipt_number for r in session.query(GoodsReceipt).filter(GoodsReceipt.po_id == po.id).order_by(GoodsReceipt.id).all()]
    invoices = [i.invoice_number for i in session.query(Invoice).filter(Invoice.po_id == po.id).order_by(Invoice.id).all()]
    result = PurchaseOrderDetailOut(**po_out(session, po), lines=lines, receipt_numbers=receipts, invoice_numbers=invoices)
    session.close()
    return result


@app.post(
    "/api/purchase_orders",
    summary="Create a draft purchase order",
    description="Create an empty draft PO for a supplier and cost center; add lines with add_po_line.",
    tags=["purchase_orders"],
    operation_id="create_purchase_order",
    response_model=PurchaseOrderOut,
)
async def create_purchase_order(body: PurchaseOrderCreateIn = Body(...)):
    session = SessionLocal()
    now = datetime.utcnow()
    po = PurchaseOrder(
        po_number=next_document_number(session, PurchaseOrder.po_number, f"PO-{now.year}-"),
        supplier_id=body.supplier_id,
        buyer_user_id=1,
        cost_center_id=body.cost_center_id,
        contract_id=body.contract_id,
        status="draft",
        order_date=now.strftime("%Y-%m-%d"),
        expected_delivery_date=body.expected_delivery_date,
        total_amount=0,
        currency="USD",
        notes=body.notes,
        created_at=now,
        updated_at=now,
    )
    session.add(po)
    session.commit()
    result = PurchaseOrderOut(**po_out(session, po))
    session.close()
    return result


@app.post(
    "/api/purchase_orders/{po_id}/lines",
    summary="Add a line to a purchase order",
    description="Append a catalog item line with the given line number, quantity and unit price, and recompute the PO total.",
    tags=["purchase_orders"],
    operation_id="add_po_line",
    response_model=PoLineChangeOut,
)
async def add_po_line(
    po_id: int = Path(..., description="PO ID", example=12),
    body: PoLineCreateIn = Body(...),
):
    session = SessionLocal()
    po = session.query(PurchaseOrder).filter(PurchaseOrder.id == po_id).first()
    item = session.query(Item).filter(Item.id == body.item_id).first()
    now = datetime.utcnow()
    line = PoLine(po_id=po_id, line_number=body.line_number, item_id=body.item_id, description=body.description or item.name, quantity=body.quantity, unit_price=body.unit_price, line_total=round(body.quantity * body.unit_price, 2), quantity_received=0, created_at=now, updated_at=now)
    session.add(line)
    session.flush()
    po.total_amount = round(sum(l.line_total for l in session.query(PoLine).filter(PoLine.po_id == po_id).all()), 2)
    po.updated_at = now
    session.commit()
    result = PoLineChangeOut(line=po_line_out(session, line), po_id=po.id, po_number=po.po_number, po_total_amount=po.total_amount)
    session.close()
    return result


@app.patch(
    "/api/po_lines/{line_id}",
    summary="Update a PO line",
    description="Change the quantity or unit price of a purchase order line and recompute line and PO totals.",
    tags=["purchase_orders"],
    operation_id="update_po_line",
    response_model=PoLineChangeOut,
)
async def update_po_line(
    line_id: int = Path(..., description="PO line ID", example=16),
    body: PoLineUpdateIn = Body(...),
):
    session = SessionLocal()
    line = session.query(PoLine).filter(PoLine.id == line_id).first()
    if body.quantity is not None:
        line.quantity = body.quantity
    if body.unit_price is not None:
        line.unit_price = body.unit_price
    line.line_total = round(line.quantity * line.unit_price, 2)
    line.updated_at = datetime.utcnow()
    session.flush()
    po = session.query(PurchaseOrder).filter(PurchaseOrder.id == line.po_id).first()
    po.total_amount = round(sum(l.line_total for l in session.query(PoLine).filter(PoLine.po_id == po.id).all()), 2)
    po.updated_at = datetime.utcnow()
    session.commit()
    result = PoLineChangeOut(line=po_line_out(session, line), po_id=po.id, po_number=po.po_number, po_total_amount=po.total_amount)
    session.close()
    return result


@app.post(
    "/api/purchase_orders/{po_id}/status",
    summary="Change purchase order status",
    description="Submit a draft PO for approval, cancel it with a reason, return it to draft, or close a received PO.",
    tags=["purchase_orders"],
    operation_id="update_purchase_order_status",
    response_model=PoStatusOut,
)
async def update_purchase_order_status(
    po_id: int = Path(..., description="PO ID", example=12),
    body: PoStatusIn = Body(...),
):
    session = SessionLocal()
    po = session.query(PurchaseOrder).filter(PurchaseOrder.id == po_id).first()
    if po.status in ("closed", "cancelled"):
        session.close()
        raise HTTPException(status_code=409, detail=f"Purchase order {po.po_number} is {po.status} and its status can no longer be changed")
    allowed = {"draft": ["submitted", "cancelled"], "submitted": ["draft", "cancelled"], "approved": ["cancelled", "closed"], "received": ["closed"]}
    if body.status not in allowed.get(po.status, []):
        session.close()
        raise HTTPException(status_code=409, detail=f"Cannot move purchase order from {po.status} to {body.status}")
    now = datetime.utcnow()
    previous = po.status
    approval_id = None
    if body.status == "submitted":
        approval = Approval(po_id=po.id, approver_user_id=1, level=1, decision="pending", amount=po.total_amount, requested_at=now, created_at=now, updated_at=now)
        session.add(approval)
        session.flush()
        approval_id = approval.id
    if body.status == "cancelled":
        po.cancel_reason = body.reason
        if previous == "approved":
            budget = budget_for(session, po.cost_center_id, po.order_date)
            if budget:
                budget.committed_amount = round(budget.committed_amount - po.total_amount, 2)
                budget.updated_at = now
    po.status = body.status
    po.updated_at = now
    session.commit()
    result = PoStatusOut(po_id=po.id, po_number=po.po_number, previous_status=previous, status=po.status, approval_id=approval_id, cancel_reason=po.cancel_reason)
    session.close()
    return result


def approval_out(session, a):
    po = session.query(PurchaseOrder).filter(PurchaseOrder.id == a.po_id).first()
    supplier = session.query(Supplier).filter(Supplier.id == po.supplier_id).first()
    cc = session.query(CostCenter).filter(CostCenter.id == po.cost_center_id).first()
    return ApprovalOut(approval_id=a.id, po_id=po.id, po_number=po.po_number, supplier_name=supplier.name, cost_center_code=cc.code, amount=round(a.amount, 2), level=a.level, decision=a.decision, comment=a.comment, requested_at=to_iso(a.requested_at), decided_at=to_iso(a.decided_at))


@app.get(
    "/api/approvals",
    summary="List my approval requests",
    description="List PO approval requests assigned to the current user, optionally filtered by decision (e.g. pending).",
    tags=["approvals"],
    operation_id="list_my_approvals",
    response_model=ApprovalListOut,
)
async def list_my_approvals(
    decision: Optional[str] = Query(None, description="pending, approved, rejected or escalated", example="pending"),
):
    session = SessionLocal()
    query = session.query(Approval).filter(Approval.approver_user_id == 1)
    if decision:
        query = query.filter(Approval.decision == decision)
    result = [approval_out(session, a) for a in query.order_by(Approval.id).all()]
    session.close()
    return ApprovalListOut(approvals=result)


@app.post(
    "/api/approvals/{approval_id}/decision",
    summary="Approve or reject a PO approval request",
    description="Record a decision; approvals above the approver's spending limit are escalated to the finance director.",
    tags=["approvals"],
    operation_id="decide_approval",
    response_model=ApprovalDecisionOut,
)
async def decide_approval(
    approval_id: int = Path(..., description="Approval ID", example=9),
    body: ApprovalDecisionIn = Body(...),
):
    session = SessionLocal()
    a = session.query(Approval).filter(Approval.id == approval_id).first()
    if a is None:
        session.close()
        raise HTTPException(status_code=404, detail="Approval not found")
    if a.decision != "pending":
        session.close()
        raise HTTPException(status_code=409, detail=f"Approval {a.id} is already {a.decision}")
    po = session.query(PurchaseOrder).filter(PurchaseOrder.id == a.po_id).first()
    limit_row = session.query(ApprovalLimit).filter(ApprovalLimit.user_id == a.approver_user_id).first()
    limit = limit_row.max_po_amount if limit_row else 0.0
    now = datetime.utcnow()
    escalated_id = None
    if body.decision == "approved":
        if po.total_amount > limit:
            a.decision = "escalated"
            escalation = Approval(po_id=po.id, approver_user_id=5, level=a.level + 1, decision="pending", amount=po.total_amount, requested_at=now, created_at=now, updated_at=now)
            session.add(escalation)
            session.flush()
            escalated_id = escalation.id
        else:
            a.decision = "approved"
            po.status = "approved"
            budget = budget_for(session, po.cost_center_id, po.order_date)
            if budget:
                budget.committed_amount = round(budget.committed_amount + po.total_amount, 2)
                budget.updated_at = now
    else:
        a.decision = "rejected"
        po.status = "draft"
    a.comment = body.comment
    a.decided_at = now
    a.updated_at = now
    po.updated_at = now
    session.commit()
    result = ApprovalDecisionOut(approval_id=a.id, decision=a.decision, comment=a.comment, po_id=po.id, po_number=po.po_number, po_status=po.status, approver_limit=limit, escalated_approval_id=escalated_id, decided_at=to_iso(a.decided_at))
    session.close()
    return result


@app.get(
    "/api/approval_limits",
    summary="List approval spending limits",
    description="List the maximum PO amount each approver may approve.",
    tags=["approvals"],
    operation_id="list_approval_limits",
    response_model=ApprovalLimitListOut,
)
async def list_approval_limits():
    session = SessionLocal()
    limits = []
    for limit, user in session.query(ApprovalLimit, User).join(User, User.id == ApprovalLimit.user_id).order_by(ApprovalLimit.max_po_amount.desc()).all():
        limits.append(ApprovalLimitOut(user_id=user.id, full_name=user.full_name, job_title=user.job_title, max_po_amount=limit.max_po_amount, currency=limit.currency, effective_from=limit.effective_from))
    session.close()
    return ApprovalLimitListOut(limits=limits)


@app.get(
    "/api/goods_receipts",
    summary="List goods receipts",
    description="List goods receipts with their lines, optionally for one purchase order.",
    tags=["receiving"],
    operation_id="list_goods_receipts",
    response_model=GoodsReceiptListOut,
)
async def list_goods_receipts(po_id: Optional[int] = Query(None, description="PO ID", example=7)):
    session = SessionLocal()
    query = session.query(GoodsReceipt)
    if po_id is not None:
        query = query.filter(GoodsReceipt.po_id == po_id)
    receipts = [receipt_out(session, r) for r in query.order_by(GoodsReceipt.id).all()]
    session.close()
    return GoodsReceiptListOut(receipts=receipts)


@app.post(
    "/api/goods_receipts",
    summary="Post a goods receipt",
    description="Record received quantities against PO lines; the PO becomes received when every line is fully received.",
    tags=["receiving"],
    operation_id="create_goods_receipt",
    response_model=GoodsReceiptOut,
)
async def create_goods_receipt(body: GoodsReceiptCreateIn = Body(...)):
    session = SessionLocal()
    po = session.query(PurchaseOrder).filter(PurchaseOrder.id == body.po_id).first()
    now = datetime.utcnow()
    receipt = GoodsReceipt(receipt_number=next_document_number(session, GoodsReceipt.receipt_number, f"GR-{now.year}-"), po_id=po.id, received_by_user_id=1, received_date=body.received_date, status="posted", notes=body.notes, created_at=now, updated_at=now)
    session.add(receipt)
    session.flush()
    for line in body.lines:
        pl = session.query(PoLine).filter(PoLine.id == line.po_line_id).first()
        session.add(GoodsReceiptLine(receipt_id=receipt.id, po_line_id=pl.id, quantity_received=line.quantity_received, quantity_rejected=line.quantity_rejected or 0, created_at=now, updated_at=now))
        pl.quantity_received = (pl.quantity_received or 0) + line.quantity_received
        pl.updated_at = now
    session.flush()
    po_lines = session.query(PoLine).filter(PoLine.po_id == po.id).all()
    if po_lines and all(l.quantity_received >= l.quantity for l in po_lines):
        po.status = "received"
    po.updated_at = now
    session.commit()
    result = receipt_out(session, receipt)
    session.close()
    return result


@app.get(
    "/api/invoices",
    summary="List supplier invoices",
    description="List supplier invoices filtered by status, match status, supplier or exact invoice number.",
    tags=["invoices"],
    operation_id="list_invoices",
    response_model=InvoiceListOut,
)
async def list_invoices(
    status: Optional[str] = Query(None, description="received, matched, exception, approved, paid or disputed", example="exception"),
    match_status: Optional[str] = Query(None, description="pending, matched, mismatch or not_required", example="mismatch"),
    supplier_id: Optional[int] = Query(None, description="Supplier ID", example=1),
    invoice_number: Optional[str] = Query(None, description="Exact supplier invoice number", example="INV-AC-5521"),
):
    session = SessionLocal()
    query = session.query(Invoice)
    if status:
        query = query.filter(Invoice.status == status)
    if match_status:
        query = query.filter(Invoice.match_status == match_status)
    if supplier_id is not None:
        query = query.filter(Invoice.supplier_id == supplier_id)
    if invoice_number:
        query = query.filter(Invoice.invoice_number == invoice_number)
    result = [InvoiceOut(**invoice_out(session, inv)) for inv in query.order_by(Invoice.invoice_date, Invoice.id).all()]
    session.close()
    return InvoiceListOut(invoices=result)


@app.get(
    "/api/invoices/{invoice_id}",
    summary="Get an invoice with lines",
    description="Return one supplier invoice with its lines and the amount paid so far.",
    tags=["invoices"],
    operation_id="get_invoice",
    response_model=InvoiceDetailOut,
)
async def get_invoice(invoice_id: int = Path(..., description="Invoice ID", example=7)):
    session = SessionLocal()
    inv = session.query(Invoice).filter(Invoice.id == invoice_id).first()
    lines = [InvoiceLineOut(id=l.id, po_line_id=l.po_line_id, description=l.description, quantity=l.quantity, unit_price=l.unit_price, line_total=l.line_total) for l in session.query(InvoiceLine).filter(InvoiceLine.invoice_id == invoice_id).order_by(InvoiceLine.id).all()]
    paid = session.query(func.coalesce(func.sum(Payment.amount), 0)).filter(Payment.invoice_id == invoice_id, Payment.status != "void").scalar()
    result = InvoiceDetailOut(**invoice_out(session, inv), lines=lines, paid_amount=round(paid or 0, 2))
    session.close()
    return result


@app.post(
    "/api/invoices/{invoice_id}/three_way_match",
    summary="Run the three-way match on an invoice",
    description="Compare invoice lines with PO prices and received quantities; sets match_status and moves the invoice to matched or exception.",
    tags=["invoices"],
    operation_id="run_three_way_match",
    response_model=MatchResultOut,
)
async def run_three_way_match(invoice_id: int = Path(..., description="Invoice ID", example=7)):
    session = SessionLocal()
    inv = session.query(Invoice).filter(Invoice.id == invoice_id).first()
    po = session.query(PurchaseOrder).filter(PurchaseOrder.id == inv.po_id).first()
    po_lines = {l.id: l for l in session.query(PoLine).filter(PoLine.po_id == po.id).all()}
    notes = []
    lines = []
    line_sum = 0.0
    for il in session.query(InvoiceLine).filter(InvoiceLine.invoice_id == inv.id).order_by(InvoiceLine.id).all():
        line_sum += il.line_total
        pl = po_lines.get(il.po_line_id)
        if pl is None:
            notes.append(f"Invoice line {il.id}: no matching line on {po.po_number}")
            lines.append(MatchLineOut(invoice_line_id=il.id, invoiced_qty=il.quantity, invoiced_unit_price=il.unit_price, result="mismatch"))
            continue
        ok = True
        if il.quantity > pl.quantity:
            notes.append(f"Line {pl.line_number}: invoiced qty {il.quantity:g} exceeds ordered qty {pl.quantity:g}")
            ok = False
        elif il.quantity > pl.quantity_received:
            notes.append(f"Line {pl.line_number}: invoiced qty {il.quantity:g} exceeds received qty {pl.quantity_received:g}")
            ok = False
        if abs(il.unit_price - pl.unit_price) > 0.005:
            notes.append(f"Line {pl.line_number}: invoiced price {il.unit_price:.2f} differs from PO price {pl.unit_price:.2f}")
            ok = False
        lines.append(MatchLineOut(invoice_line_id=il.id, po_line_number=pl.line_number, invoiced_qty=il.quantity, ordered_qty=pl.quantity, received_qty=pl.quantity_received, invoiced_unit_price=il.unit_price, po_unit_price=pl.unit_price, result="ok" if ok else "mismatch"))
    if abs(round(line_sum, 2) - inv.amount) > 0.01:
        notes.append(f"Invoice amount {inv.amount:.2f} does not equal line total {line_sum:.2f}")
    if notes:
        inv.match_status = "mismatch"
        inv.status = "exception"
        inv.match_notes = "; ".join(notes)
    else:
        inv.match_status = "matched"
        inv.status = "matched"
        inv.match_notes = "All lines matched"
    inv.updated_at = datetime.utcnow()
    session.commit()
    result = MatchResultOut(invoice_id=inv.id, invoice_number=inv.invoice_number, po_number=po.po_number, match_status=inv.match_status, status=inv.status, notes=notes, lines=lines)
    session.close()
    return result


@app.patch(
    "/api/invoices/{invoice_id}/status",
    summary="Approve, dispute or reopen an invoice",
    description="Set an invoice to approved (requires a passed three-way match), disputed or received, with an optional note.",
    tags=["invoices"],
    operation_id="update_invoice_status",
    response_model=InvoiceOut,
)
async def update_invoice_status(
    invoice_id: int = Path(..., description="Invoice ID", example=7),
    body: InvoiceStatusIn = Body(...),
):
    session = SessionLocal()
    inv = session.query(Invoice).filter(Invoice.id == invoice_id).first()
    if body.status == "approved" and inv.match_status not in ("matched", "not_required"):
        session.close()
        raise HTTPException(status_code=409, detail=f"Invoice {inv.invoice_number} has match_status {inv.match_status}; run the three-way match first")
    inv.status = body.status
    if body.note:
        inv.match_notes = body.note
    inv.updated_at = datetime.utcnow()
    session.commit()
    result = InvoiceOut(**invoice_out(session, inv))
    session.close()
    return result


@app.get(
    "/api/payments",
    summary="List payments",
    description="List supplier payments, optionally for one invoice or with one status.",
    tags=["payments"],
    operation_id="list_payments",
    response_model=PaymentListOut,
)
async def list_payments(
    invoice_id: Optional[int] = Query(None, description="Invoice ID", example=3),
    status: Optional[str] = Query(None, description="scheduled, sent, cleared or void", example="scheduled"),
):
    session = SessionLocal()
    query = session.query(Payment)
    if invoice_id is not None:
        query = query.filter(Payment.invoice_id == invoice_id)
    if status:
        query = query.filter(Payment.status == status)
    result = [PaymentOut(**payment_out(session, p)) for p in query.order_by(Payment.payment_date, Payment.id).all()]
    session.close()
    return PaymentListOut(payments=result)


@app.post(
    "/api/payments",
    summary="Record a payment for an invoice",
    description="Schedule a payment against an invoice; the invoice becomes paid once payments cover its amount and the budget spend is updated.",
    tags=["payments"],
    operation_id="create_payment",
    response_model=PaymentCreateOut,
)
async def create_payment(body: PaymentCreateIn = Body(...)):
    session = SessionLocal()
    inv = session.query(Invoice).filter(Invoice.id == body.invoice_id).first()
    now = datetime.utcnow()
    payment = Payment(payment_number=next_document_number(session, Payment.payment_number, f"PMT-{now.year}-"), invoice_id=inv.id, amount=body.amount, method=body.method, status="scheduled", payment_date=body.payment_date, reference=body.reference, created_by_user_id=1, created_at=now, updated_at=now)
    session.add(payment)
    session.flush()
    paid = session.query(func.coalesce(func.sum(Payment.amount), 0)).filter(Payment.invoice_id == inv.id, Payment.status != "void").scalar() or 0
    if paid + 0.005 >= inv.amount:
        inv.status = "paid"
        inv.updated_at = now
    if inv.po_id:
        po = session.query(PurchaseOrder).filter(PurchaseOrder.id == inv.po_id).first()
        budget = budget_for(session, po.cost_center_id, body.payment_date)
        if budget:
            budget.spent_amount = round(budget.spent_amount + body.amount, 2)
            budget.committed_amount = round(max(budget.committed_amount - body.amount, 0), 2)
            budget.updated_at = now
    session.commit()
    result = PaymentCreateOut(**payment_out(session, payment), invoice_status=inv.status, invoice_paid_amount=round(paid, 2))
    session.close()
    return result


@app.get(
    "/api/cost_centers",
    summary="List cost centers",
    description="List cost centers with their codes and managers.",
    tags=["budgets"],
    operation_id="list_cost_centers",
    response_model=CostCenterListOut,
)
async def list_cost_centers():
    session = SessionLocal()
    result = []
    for cc in session.query(CostCenter).order_by(CostCenter.code).all():
        manager = session.query(User).filter(User.id == cc.manager_user_id).first()
        result.append(CostCenterOut(id=cc.id, code=cc.code, name=cc.name, manager_user_id=cc.manager_user_id, manager_name=manager.full_name if manager else None, is_active=bool(cc.is_active)))
    session.close()
    return CostCenterListOut(cost_centers=result)


@app.get(
    "/api/budgets",
    summary="List budgets with remaining amounts",
    description="List cost center budgets for a fiscal year with committed, spent and remaining amounts.",
    tags=["budgets"],
    operation_id="list_budgets",
    response_model=BudgetListOut,
)
async def list_budgets(
    fiscal_year: Optional[int] = Query(None, description="Fiscal year", example=2026),
    cost_center_id: Optional[int] = Query(None, description="Cost center ID", example=1),
):
    session = SessionLocal()
    query = session.query(Budget, CostCenter).join(CostCenter, CostCenter.id == Budget.cost_center_id)
    if fiscal_year is not None:
        query = query.filter(Budget.fiscal_year == fiscal_year)
    if cost_center_id is not None:
        query = query.filter(Budget.cost_center_id == cost_center_id)
    result = []
    for b, cc in query.order_by(Budget.fiscal_year.desc(), CostCenter.code).all():
        remaining = round(b.amount - b.committed_amount - b.spent_amount, 2)
        result.append(BudgetOut(id=b.id, cost_center_id=cc.id, cost_center_code=cc.code, fiscal_year=b.fiscal_year, amount=b.amount, committed_amount=b.committed_amount, spent_amount=b.spent_amount, remaining_amount=remaining, currency=b.currency))
    session.close()
    return BudgetListOut(budgets=result)


if __name__ == "__main__":
    import uvicorn
    host = os.getenv("HOST", "127.0.0.1")
    port = int(os.getenv("PORT", "8000"))
    uvicorn.run(app, host=host, port=port)
