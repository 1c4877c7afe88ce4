/** A policy document or statement as indented JSON; `<placeholders>` to fill in are highlighted. */
export function PolicyJson({ value, label }: { value: unknown; label?: string }) {
  const parts = JSON.stringify(value, null, 2).split(/(<[^<>"]+>)/g);
  return (
    <pre aria-label={label} className="mt-1 max-w-sm overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-900 p-2 text-xs text-slate-100">
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <mark key={i} className="rounded bg-amber-300 px-0.5 text-slate-900">
            {part}
          </mark>
        ) : (
          part
        ),
      )}
    </pre>
  );
}
