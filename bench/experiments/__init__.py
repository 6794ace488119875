"""Small experiments behind the choices recorded in bench/README.md (not run by CI)."""
