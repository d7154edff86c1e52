from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest

SERVER_HEAD = '''import os
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import create_engine, Column, Integer, String
from sqlalchemy.orm import declarative_base, sessionmaker

DATABASE_PATH = os.environ.get("DATABASE_PATH") or "sqlite:///x.db"
engine = create_engine(DATABASE_PATH, connect_args={"check_same_thread": False})
SessionLocal = sessionmaker(bind=engine)
Base = declarative_base()


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    body = Column(String)


Base.metadata.create_all(engine)
app = FastAPI(title="Tiny")


@app.get("/api/notes", operation_id="list_notes", summary="List notes")
async def list_notes():
    s = SessionLocal()
    rows = [{"id": n.id, "body": n.body} for n in s.query(Note).order_by(Note.id)]
    s.close()
    return {"notes": rows}


class NoteIn(BaseModel):
    body: str


@app.post("/api/notes", operation_id="add_note", summary="Add a note")
async def add_note(payload: NoteIn):
    s = SessionLocal()
    n = Note(body=payload.body)
    s.add(n)
    s.commit()
    out = {"id": n.id, "body": n.body}
    s.close()
    return out
'''


def write_bundle(root: Path, server: str, name: str = "Tiny Env") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    slug = root.name
    (root / "env.json").write_text(json.dumps({"format": "awm-workbench/bundle@1", "name": name, "slug": slug,
                                               "description": "d", "reference_time": "2026-01-05 10:00:00"}))
    (root / "tasks.json").write_text(json.dumps([{"id": 0, "task": "Add a note saying hi."}]))
    (root / "schema.sql").write_text("-- @table notes\nCREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n")
    (root / "data.sql").write_text("-- @table notes\nINSERT INTO notes (id, body) VALUES (1, 'first');\n")
    (root / "spec.json").write_text(json.dumps({"api_groups": [{"group_name": "Notes", "endpoints": [
        {"path": "/api/notes", "method": "GET", "operation_id": "list_notes", "request_params": {}},
        {"path": "/api/notes", "method": "POST", "operation_id": "add_note",
         "request_params": {"body": {"type": "string", "param_type": "body", "required": True, "example": "hi"}}},
    ]}]}))
    (root / "server.py").write_text(server)
    return root


@pytest.fixture
def make_env(tmp_path: Path) -> Callable[[str], Path]:
    counter = {"n": 0}

    def make(extra_routes: str = "", head: str = SERVER_HEAD, replace: str | None = None) -> Path:
        counter["n"] += 1
        return write_bundle(tmp_path / f"env{counter['n']}", replace if replace is not None else head + extra_routes)

    return make
