"""The bundled sample news site used by `newswire demo` and the tests."""
