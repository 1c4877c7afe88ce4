import { Alert } from '@/components/ui/alert';

/** The alert a filtered page shows instead of results when its query string does not parse. */
export function FilterErrors({ title, messages }: { title: string; messages: string[] }) {
  return (
    <Alert as="div" box>
      <p className="font-medium">{title}</p>
      <ul className="mt-1 list-disc pl-5">
        {messages.map((message, i) => (
          <li key={i}>{message}</li>
        ))}
      </ul>
    </Alert>
  );
}
