"""Tools from OpenAPI, as fastapi-mcp builds them, on a small app written here (our own code)."""

from __future__ import annotations

from typing import List, Optional

import pytest
from fastapi import FastAPI, Query
from pydantic import BaseModel, Field

from workbench.runtime.tools import error_text, example_from_schema, plan_call, result_text, tools_from_openapi


class Item(BaseModel):
    id: int = Field(..., description="id", example=1)
    name: str = Field(..., description="name", example="Widget")


class ItemCreate(BaseModel):
    name: str = Field(..., description="Display name")
    price: float = Field(0.0, description="Price")
    tags: Optional[List[str]] = None


def _app() -> FastAPI:
    app = FastAPI(title="Shop")

    @app.get("/api/items/{item_id}", operation_id="get_item", summary="Get one item",
             description="Fetch an item by id", response_model=Item)
    async def get_item(item_id: int, verbose: bool = Query(False)):
        return Item(id=item_id, name="x")

    @app.post("/api/shops/{shop_id}/items", operation_id="create_item", summary="Create an item", response_model=Item)
    async def create_item(shop_id: int, payload: ItemCreate, dry_run: Optional[bool] = None):
        return Item(id=1, name=payload.name)

    @app.delete("/api/items/{item_id}", operation_id="delete_item")
    async def delete_item(item_id: int):
        return {"ok": True}

    return app


@pytest.fixture(scope="module")
def tools():
    return {t.name: t for t in tools_from_openapi(_app().openapi())}


def test_names_are_operation_ids(tools) -> None:
    # Document order: paths, then methods within a path (as fastapi-mcp lists them).
    assert list(tools) == ["get_item", "delete_item", "create_item"]


def test_input_schema_merges_path_query_and_body(tools) -> None:
    s = tools["create_item"].input_schema
    assert s["title"] == "create_itemArguments" and s["type"] == "object"
    assert list(s["properties"]) == ["shop_id", "dry_run", "name", "price", "tags"]
    assert s["required"] == ["shop_id", "name"]
    assert tools["create_item"].path_params == ["shop_id"]
    assert tools["create_item"].query_params == ["dry_run"]
    assert tools["create_item"].body_params == ["name", "price", "tags"]
    assert tools["get_item"].input_schema["required"] == ["item_id"]


def test_description_is_summary_description_and_response(tools) -> None:
    d = tools["get_item"].description
    assert d.startswith("Get one item\n\nFetch an item by id\n\n### Responses:\n\n**200**: Successful Response (Success Response)")
    assert "Content-Type: application/json" in d and "**Example Response:**" in d
    assert '"name": "Widget"' in d


def test_plan_call_routes_arguments(tools) -> None:
    req = plan_call(tools["create_item"], {"shop_id": 7, "dry_run": True, "name": "A", "price": 2.5})
    assert (req.method, req.path, req.query, req.body) == ("post", "/api/shops/7/items", {"dry_run": True},
                                                           {"name": "A", "price": 2.5})
    req = plan_call(tools["get_item"], {"item_id": 3, "verbose": True, "stray": 1})
    assert (req.path, req.query, req.body) == ("/api/items/3", {"verbose": True}, None)


def test_texts() -> None:
    assert result_text(b'{"a": "\xc3\xa9", "b": [1]}') == '{\n  "a": "é",\n  "b": [\n    1\n  ]\n}'
    assert result_text(b"plain") == "plain"
    assert error_text("t", 404, '{"detail":"x"}') == 'Error calling t. Status code: 404. Response: {"detail":"x"}'


def test_example_from_schema_handles_nullable_and_arrays() -> None:
    schema = {"type": "object", "properties": {"a": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                                               "b": {"type": "array", "items": {"type": "string"}}}}
    assert example_from_schema(schema) == {"a": 0, "b": ["string"]}
