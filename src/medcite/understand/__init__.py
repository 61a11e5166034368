"""Question understanding: what a question is about, read before retrieval.

    understander = create_understander(settings, doc_freq=..., vocabulary=...)
    understood = understander.read("Teenager with throat tightness and BP 80/50 after cashews ...")
    understood.summary()   # 'anaphylaxis — first choice, route and site, when to repeat; adolescent; ...'

The default backend (`rules`) reads clinical tables kept as YAML beside this package (`data/`) and the
index's own vocabulary; `llm` asks a configured generator and fails closed when none is.
"""

from medcite.understand.base import Understander, create_understander, register_understander
from medcite.understand.vocabulary import Vocabulary

__all__ = ["Understander", "Vocabulary", "create_understander", "register_understander"]
