import NextAuth from 'next-auth';
import { authorize } from '@/lib/server/auth/guards';
import { authOptions } from '@/lib/server/auth/options';

type Context = { params: Promise<{ nextauth: string[] }> };

// next-auth's own endpoints (sign-in, callback, session, sign-out): public by nature.
async function handler(request: Request, context: Context) {
  authorize(null, 'auth.signin');
  return NextAuth(request as never, context as never, authOptions());
}

export { handler as GET, handler as POST };
