# The two set-up commands (see README): `make demo` and `make test`.
.PHONY: demo test check lint messages openapi bench setup

demo:
	@bash scripts/setup.sh
	@.venv/bin/shequ demo

test:
	@bash scripts/test.sh

setup:
	@bash scripts/setup.sh

lint:
	@bash scripts/setup.sh && bash scripts/lint.sh

messages:
	@.venv/bin/python scripts/i18n.py update

openapi:
	@.venv/bin/shequ openapi --write
