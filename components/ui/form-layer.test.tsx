// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { Alert } from '@/components/ui/alert';
import { Checkbox, Field, Input, Radio, Select, Textarea } from '@/components/ui/field';
import { FilterForm } from '@/components/ui/filter-form';
import { FormError } from '@/components/ui/form-error';

afterEach(cleanup);

describe('Field with Input, Select and Textarea', () => {
  it('labels the control and names it by the field id', () => {
    render(
      <Field id="ticketRef" label="Ticket">
        <Input />
      </Field>,
    );
    const input = screen.getByLabelText<HTMLInputElement>('Ticket');
    expect(input.id).toBe('ticketRef');
    expect(input.name).toBe('ticketRef');
    expect(input.hasAttribute('aria-invalid')).toBe(false);
    expect(input.hasAttribute('aria-describedby')).toBe(false);
  });

  it('ties the hint and then the error to the control, marks it invalid and announces the error', () => {
    render(
      <Field id="justification" label="Justification" hint="Say why." error="Too short.">
        <Textarea />
      </Field>,
    );
    const box = screen.getByLabelText('Justification');
    expect(box.tagName).toBe('TEXTAREA');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(box.getAttribute('aria-describedby')).toBe('justification-hint justification-error');
    expect(document.getElementById('justification-hint')?.textContent).toBe('Say why.');
    expect(screen.getByRole('alert').textContent).toBe('Too short.');
    expect(screen.getByRole('alert').id).toBe('justification-error');
  });

  it('keeps the control’s own name and adds its own description after the field’s', () => {
    render(
      <>
        <p id="extra">Entered in Europe/Berlin.</p>
        <Field id="plan-release" label="Release" error="Unknown release.">
          <Select name="release" aria-describedby="extra">
            <option value="">newest</option>
          </Select>
        </Field>
      </>,
    );
    const select = screen.getByLabelText<HTMLSelectElement>('Release');
    expect(select.name).toBe('release');
    expect(select.getAttribute('aria-describedby')).toBe('plan-release-error extra');
  });

  it('keeps a control given name={undefined} out of the posted form (a value the server sets itself)', () => {
    render(
      <form data-testid="form">
        <Field id="param-dev-ReleaseLabel" label="ReleaseLabel" hint="Set by the release.">
          <Input name={undefined} readOnly value="r-1" />
        </Field>
        <Field id="param-dev-VpcCidr" label="VpcCidr">
          <Input defaultValue="10.0.0.0/16" />
        </Field>
      </form>,
    );
    const label = screen.getByLabelText<HTMLInputElement>('ReleaseLabel');
    expect(label.name).toBe('');
    expect(label.getAttribute('aria-describedby')).toBe('param-dev-ReleaseLabel-hint');
    expect([...new FormData(screen.getByTestId<HTMLFormElement>('form')).keys()]).toEqual(['param-dev-VpcCidr']);
  });

  it('outside a Field, a control is what its props say', () => {
    render(<Input aria-label="Search" name="q" />);
    const input = screen.getByLabelText<HTMLInputElement>('Search');
    expect(input.name).toBe('q');
    expect(input.hasAttribute('aria-invalid')).toBe(false);
  });
});

describe('FormError', () => {
  it('renders nothing without a message', () => {
    const { container } = render(
      <>
        <FormError>{null}</FormError>
        <FormError>{''}</FormError>
        <FormError />
      </>,
    );
    expect(container.innerHTML).toBe('');
  });

  it('announces the message as an alert, boxed by default and inline when compact', () => {
    render(
      <>
        <FormError testId="boxed">The request expired.</FormError>
        <FormError compact testId="inline">
          Not allowed.
        </FormError>
      </>,
    );
    const [boxed, inline] = screen.getAllByRole('alert');
    expect(boxed!.textContent).toBe('The request expired.');
    expect(boxed!.dataset.testid).toBe('boxed');
    expect(boxed!.className).toContain('border');
    expect(inline!.textContent).toBe('Not allowed.');
    expect(inline!.className).not.toContain('border');
  });
});

describe('Checkbox and Radio', () => {
  it('are labelled by their own text and post their name and value', () => {
    render(
      <form data-testid="form">
        <Checkbox name="scopes" value="read" defaultChecked label="Read" />
        <Checkbox name="scopes" value="decide" label="Decide" />
        <Radio name="type" value="ROLE" defaultChecked label="Role" />
        <Radio name="type" value="SECRET_READ" label="Secret" />
      </form>,
    );
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Read' }).checked).toBe(true);
    expect(screen.getByRole('radio', { name: 'Secret' })).toBeTruthy();
    const data = new FormData(screen.getByTestId<HTMLFormElement>('form'));
    expect(data.getAll('scopes')).toEqual(['read']);
    expect(data.get('type')).toBe('ROLE');
  });

  it('toggle when their text is clicked', async () => {
    const user = userEvent.setup();
    render(<Checkbox name="active" label="Active" />);
    await user.click(screen.getByText('Active'));
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Active' }).checked).toBe(true);
  });
});

describe('Alert', () => {
  it('renders nothing without a message, and otherwise announces it in the element and tone asked for', () => {
    const { container } = render(
      <>
        <Alert>{null}</Alert>
        <Alert tone="warn" />
      </>,
    );
    expect(container.innerHTML).toBe('');
    render(
      <dl>
        <Alert as="dd" testId="stack">
          Stack unreadable.
        </Alert>
        <Alert as="dd" tone="warn" box testId="source">
          Source failed.
        </Alert>
      </dl>,
    );
    const [stack, source] = screen.getAllByRole('alert');
    expect(stack!.tagName).toBe('DD');
    expect(stack!.className).toContain('text-danger');
    expect(stack!.className).not.toContain('border');
    expect(source!.dataset.testid).toBe('source');
    expect(source!.className).toContain('text-warn');
    expect(source!.className).toContain('border');
  });

  it('FormError takes an id a fieldset can point at', () => {
    render(
      <FormError compact id="token-scopes-error">
        Pick a scope.
      </FormError>,
    );
    expect(screen.getByRole('alert').id).toBe('token-scopes-error');
  });
});

describe('FilterForm', () => {
  it('is a named GET form to the page, with apply, a clear link back to the bare page, and its footer', () => {
    render(
      <FilterForm action="/audit" label="Audit filters" applyLabel="Apply filters" clearLabel="Clear" footer="Times in Europe/Berlin">
        <Field id="audit-q" label="Text">
          <Input name="q" defaultValue="stripe" />
        </Field>
      </FilterForm>,
    );
    const form = screen.getByRole<HTMLFormElement>('form', { name: 'Audit filters' });
    expect(form.getAttribute('method')).toBe('get');
    expect(form.getAttribute('action')).toBe('/audit');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Apply filters' }).type).toBe('submit');
    expect(screen.getByRole('link', { name: 'Clear' }).getAttribute('href')).toBe('/audit');
    expect(screen.getByText('Times in Europe/Berlin')).toBeTruthy();
    expect(new FormData(form).get('q')).toBe('stripe');
  });

  it('has no clear link unless asked', () => {
    render(
      <FilterForm action="/iam-audit" label="Finding filters" applyLabel="Apply filters">
        <Input aria-label="Kind" name="kind" />
      </FilterForm>,
    );
    expect(screen.queryByRole('link')).toBeNull();
  });
});

describe('ConfirmButton', () => {
  function setup(pending = false) {
    const onConfirm = vi.fn();
    const user = userEvent.setup();
    render(
      <ConfirmButton
        label="Give access back now"
        question="End this access now?"
        confirmLabel="Yes, give it back"
        cancelLabel="Keep it"
        onConfirm={onConfirm}
        pending={pending}
        testId="give-back"
      />,
    );
    return { onConfirm, user };
  }

  it('asks first, in place, as a labelled group with focus on confirm; confirm runs the action once', async () => {
    const { onConfirm, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Give access back now' }));
    expect(onConfirm).not.toHaveBeenCalled();
    const group = screen.getByRole('group', { name: 'End this access now?' });
    expect(group.dataset.testid).toBe('give-back-confirm');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Yes, give it back' }));
    await user.click(screen.getByRole('button', { name: 'Yes, give it back' }));
    expect(onConfirm).toHaveBeenCalledOnce();
    expect(screen.queryByRole('group')).toBeNull();
  });

  it('cancel goes back without running anything', async () => {
    const { onConfirm, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Give access back now' }));
    await user.click(screen.getByRole('button', { name: 'Keep it' }));
    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Give access back now' })).toBeTruthy();
  });

  it('cannot be started while the action is pending', () => {
    setup(true);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Give access back now' }).disabled).toBe(true);
  });
});
