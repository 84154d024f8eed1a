"""pydantic-ai instructions rendered from ctx.deps that the tools mutate (case 15)."""
from dataclasses import dataclass, field

from pydantic_ai import Agent, RunContext


@dataclass
class EditorState:
    open_files: list[str] = field(default_factory=list)
    cursor: tuple[int, int] = (0, 0)


agent = Agent(
    "anthropic:claude-sonnet-4-5",
    deps_type=EditorState,
    system_prompt="You are an editor copilot. Make small, reviewable edits.",
)


@agent.instructions
def editor_context(ctx: RunContext[EditorState]) -> str:  # expect: CL302
    files = ", ".join(ctx.deps.open_files)
    line, col = ctx.deps.cursor
    return f"Open files: {files}. Cursor at line {line}, column {col}."


@agent.tool
def open_file(ctx: RunContext[EditorState], path: str) -> str:
    """Open a file in the editor."""
    ctx.deps.open_files.append(path)
    return f"opened {path}"


@agent.tool
def move_cursor(ctx: RunContext[EditorState], line: int, col: int) -> str:
    """Move the cursor."""
    ctx.deps.cursor = (line, col)
    return "ok"
