from django.apps import AppConfig


class SyncerConfig(AppConfig):
    name = "syncer"
    verbose_name = "Chroma sync"

    def ready(self) -> None:
        # An unknown EMBEDDING_MODEL or EMBEDDING_RUNTIME stops every entry point at
        # startup, listing the choices (no model is loaded here).
        from syncer.embeddings import embedding_settings_check

        embedding_settings_check()
