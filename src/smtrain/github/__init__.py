"""What smtrain writes for GitHub Actions: step outputs, job summary, run context."""
