"""SSLMem training backend: from a dataset and a PyTorch SSL encoder to layout-v1 dumps.

The Swift tool `sslmem` is the analysis layer; this package only writes files it reads
(docs/layout.md): a split, per-point augmented views through an encoder, optional per-layer
outputs and the Déjà Vu sets.
"""
from ._version import __version__ as __version__  # written from the repository's VERSION (scripts/version.sh)
from .dump import DumpError, DumpOptions, DumpPlan, describe_transform, dump_representations, plan_dump
from .outputs import OutputError
from .shard import in_shard, splitmix64
from .split import Split, make_split
from .subsets import SUBSETS, TRAINED_ON, Role, Subset
from .views import SimCLRAugment, seeded_view, view_rng_seed

__all__ = ["Split", "make_split", "SUBSETS", "TRAINED_ON", "Role", "Subset", "view_rng_seed", "seeded_view",
           "SimCLRAugment", "dump_representations", "DumpOptions", "DumpPlan", "plan_dump", "describe_transform",
           "DumpError", "OutputError", "splitmix64", "in_shard"]
