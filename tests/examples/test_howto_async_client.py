"""An async client on the in-process ASGI transport: no port, no thread hop."""

import asyncio

import httpx


def test_an_async_client_lists_invoices(sandbox):
    async def list_invoices() -> httpx.Response:
        async with httpx.AsyncClient(transport=sandbox.asgi_transport(),
                                     base_url=sandbox.url("lineitems"),
                                     headers=sandbox.headers("lineitems")) as client:
            return await client.get("/invoices", params={"limit": 2})

    assert len(asyncio.run(list_invoices()).json()["items"]) == 2
