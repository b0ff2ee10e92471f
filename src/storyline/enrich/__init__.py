"""Stage: enrich articles with what is inside them (named entities; later quotes and events)."""

from storyline.enrich.entities import (
    ENTITY_TYPES,
    ArticleEntities,
    Entity,
    EntityOptions,
    Mention,
    entity_key,
    extract_entities,
    load_pipeline,
)

__all__ = [
    "ENTITY_TYPES",
    "ArticleEntities",
    "Entity",
    "EntityOptions",
    "Mention",
    "entity_key",
    "extract_entities",
    "load_pipeline",
]
