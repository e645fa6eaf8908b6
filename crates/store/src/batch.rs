//! Group commit: one writer task takes the jobs waiting in its queue, up to
//! a limit, and runs them together in one transaction. When the queue is
//! empty a job runs alone at once, so batching adds no wait; under load the
//! writers' lock and the commit are paid once per batch, not once per job.
//!
//! The function that runs a batch answers each job on its own (a refused
//! job does not fail the others); see `app::incoming`'s registrations.
//! Written once for any use-case: the caller gives the function that
//! writes a batch in one [`crate::Write`].

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;

use futures::FutureExt;
use tokio::sync::{mpsc, oneshot};

pub type BatchFuture<R> = Pin<Box<dyn Future<Output = Vec<R>> + Send>>;

pub struct Batcher<J, R> {
    queue: mpsc::Sender<(J, oneshot::Sender<R>)>,
}

impl<J: Send + 'static, R: Send + 'static> Batcher<J, R> {
    /// Starts the writer task on the current runtime. `run` gets the jobs
    /// in arrival order and returns one answer per job, in the same order.
    pub fn spawn(max: usize, run: impl Fn(Vec<J>) -> BatchFuture<R> + Send + 'static) -> Self {
        let (queue, mut rx) = mpsc::channel::<(J, oneshot::Sender<R>)>(max * 4);
        tokio::spawn(async move {
            let mut waiting = Vec::with_capacity(max);
            while rx.recv_many(&mut waiting, max).await > 0 {
                let (jobs, replies): (Vec<J>, Vec<oneshot::Sender<R>>) = waiting.drain(..).unzip();
                // A panic answers this batch with nothing (its callers see
                // the writer fail) and the task goes on with the next one.
                match AssertUnwindSafe(run(jobs)).catch_unwind().await {
                    Ok(answers) => {
                        for (answer, reply) in answers.into_iter().zip(replies) {
                            let _ = reply.send(answer);
                        }
                    }
                    Err(_) => {
                        tracing::error!("a batch of writes panicked; its callers get an error")
                    }
                }
            }
        });
        Self { queue }
    }

    /// Queues a job and waits for its answer; `None` if the writer failed
    /// before answering (a panic inside the batch's transaction rolls it
    /// back).
    pub async fn submit(&self, job: J) -> Option<R> {
        let (reply, answer) = oneshot::channel();
        self.queue.send((job, reply)).await.ok()?;
        answer.await.ok()
    }
}
