"""What the runtime never imports: bench, soak, demo, evaluation."""
