"""Markdown: blocks of an article, the inline lexer, and the one HTML renderer."""
