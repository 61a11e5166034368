"""Model protocols (Embedder, Generator, Judge) and their registry."""

from medcite.models.base import Embedder, Generator, Judge, Message, available, create, register

__all__ = ["Embedder", "Generator", "Judge", "Message", "available", "create", "register"]
