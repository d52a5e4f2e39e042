"""The ledgers app in the API (mounted by the api app)."""

from ninja import Router

router = Router()
