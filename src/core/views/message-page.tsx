/** A page that says one thing, optionally with one way on: confirmations, expired links, refusals. */
export function MessagePage({ title, message, action }: { title: string; message: string; action?: { href: string; label: string } | undefined }) {
  return (
    <section class="narrow">
      <h1>{title}</h1>
      <p>{message}</p>
      {action && (
        <p>
          <a class="button" href={action.href}>
            {action.label}
          </a>
        </p>
      )}
    </section>
  );
}
