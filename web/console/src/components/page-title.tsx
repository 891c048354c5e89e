/**
 * A page's h1. After a navigation inside the app, the new page's title takes the focus (once it is
 * drawn, which may be after its data loaded), so that a screen reader says where the user is and the
 * next Tab starts from the page's top; the first page loaded leaves the focus where the browser put it.
 * The document's title follows the page's (WCAG 2.4.2).
 */
import { useEffect, useRef } from 'preact/hooks';

let focusNextTitle = false;
export function navigated(): void {
  focusNextTitle = true;
}

export function PageTitle({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} — opendpo`;
  }, [children]);
  useEffect(() => {
    if (focusNextTitle && ref.current) {
      focusNextTitle = false;
      ref.current.focus();
    }
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
