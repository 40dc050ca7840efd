"""Tests that drive the app in a real browser (Playwright with Debian's Chromium)."""
