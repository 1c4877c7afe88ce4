/** The alert a filtered page shows instead of results when its query string does not parse. */
export function FilterErrors({ title, messages }: { title: string; messages: string[] }) {
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-danger">
      <p className="font-medium">{title}</p>
      <ul className="mt-1 list-disc pl-5">
        {messages.map((message, i) => (
          <li key={i}>{message}</li>
        ))}
      </ul>
    </div>
  );
}
